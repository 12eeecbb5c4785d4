/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Words of the demo data: Russian names with their feminine forms,
 * Ekaterinburg streets, organisations, tax numbers and phone numbers. */

#include "okno-demo-private.h"

#include <string.h>

/* Surnames in the masculine form; feminine_surname () derives the other. */
static const char *const surnames[] = {
  "Иванов",        "Смирнов",     "Кузнецов",   "Попов",      "Васильев",   "Петров",
  "Соколов",       "Михайлов",    "Новиков",    "Фёдоров",    "Морозов",    "Волков",
  "Алексеев",      "Лебедев",     "Семёнов",    "Егоров",     "Павлов",     "Козлов",
  "Степанов",      "Николаев",    "Орлов",      "Андреев",    "Макаров",    "Никитин",
  "Захаров",       "Зайцев",      "Соловьёв",   "Борисов",    "Яковлев",    "Григорьев",
  "Романов",       "Воробьёв",    "Сергеев",    "Кузьмин",    "Фролов",     "Александров",
  "Дмитриев",      "Королёв",     "Гусев",      "Киселёв",    "Ильин",      "Максимов",
  "Поляков",       "Сорокин",     "Виноградов", "Ковалёв",    "Белов",      "Медведев",
  "Антонов",       "Тарасов",     "Жуков",      "Баранов",    "Филиппов",   "Комаров",
  "Давыдов",       "Беляев",      "Герасимов",  "Богданов",   "Осипов",     "Сидоров",
  "Матвеев",       "Титов",       "Марков",     "Миронов",    "Крылов",     "Куликов",
  "Карпов",        "Власов",      "Мельников",  "Денисов",    "Гаврилов",   "Тихонов",
  "Казаков",       "Афанасьев",   "Данилов",    "Савельев",   "Тимофеев",   "Фомин",
  "Чернов",        "Абрамов",     "Мартынов",   "Ефимов",     "Федотов",    "Щербаков",
  "Назаров",       "Калинин",     "Исаев",      "Чернышёв",   "Быков",      "Маслов",
  "Родионов",      "Коновалов",   "Лазарев",    "Воронин",    "Климов",     "Филатов",
  "Пономарёв",     "Голубев",     "Кудрявцев",  "Прохоров",   "Наумов",     "Потапов",
  "Журавлёв",      "Овчинников",  "Трофимов",   "Леонов",     "Соболев",    "Ермаков",
  "Колесников",    "Гончаров",    "Емельянов",  "Никифоров",  "Грачёв",     "Котов",
  "Гришин",        "Ефремов",     "Архипов",    "Громов",     "Кириллов",   "Малышев",
  "Панов",         "Моисеев",     "Румянцев",   "Акимов",     "Кондратьев", "Бирюков",
  "Горбунов",      "Анисимов",    "Ерёмин",     "Тихомиров",  "Галкин",     "Лукьянов",
  "Михеев",        "Скворцов",    "Юдин",       "Белоусов",   "Нестеров",   "Симонов",
  "Прокофьев",     "Харитонов",   "Князев",     "Цветков",    "Левин",      "Митрофанов",
  "Воронцов",      "Третьяков",   "Вершинин",   "Шестаков",   "Бажов",      "Демидов",
  "Черепанов",     "Ползунов",    "Татищев",    "Шилов",      "Рябов",      "Вяткин",
  "Пермяков",      "Уфимцев",     "Зырянов",    "Чусовитин",  "Сысоев",     "Вотинов",
  "Шмаков",        "Брусницын",   "Гилёв",      "Бабушкин",   "Кокшаров",   "Зубарев",
  "Ожегов",        "Трапезников", "Мезенцев",   "Пастухов",   "Карманов",   "Бортников",
  "Колобов",       "Ковальский",  "Вишневский", "Покровский", "Успенский",  "Троицкий",
  "Воскресенский", "Заболоцкий",  "Сосновский", "Толстой",    "Донской",    "Шевченко",
  "Бондаренко",    "Ткаченко",    "Кравченко",  "Черных",     "Седых",      "Долгих",
  "Ковальчук",     "Мельник",     "Шульц",      "Гареев",     "Хабибуллин", "Галиев",
  "Сафин",         "Мухаметшин",  "Ахметов",    "Юсупов",     "Валиев",     "Мусин",
};

/* Male first names with the patronymics they give (masculine, feminine). */
static const struct
{
  const char *name;
  const char *son;
  const char *daughter;
} fathers[] = {
  { "Александр", "Александрович", "Александровна" },
  { "Алексей", "Алексеевич", "Алексеевна" },
  { "Анатолий", "Анатольевич", "Анатольевна" },
  { "Андрей", "Андреевич", "Андреевна" },
  { "Антон", "Антонович", "Антоновна" },
  { "Артём", "Артёмович", "Артёмовна" },
  { "Борис", "Борисович", "Борисовна" },
  { "Вадим", "Вадимович", "Вадимовна" },
  { "Валерий", "Валерьевич", "Валерьевна" },
  { "Василий", "Васильевич", "Васильевна" },
  { "Виктор", "Викторович", "Викторовна" },
  { "Владимир", "Владимирович", "Владимировна" },
  { "Вячеслав", "Вячеславович", "Вячеславовна" },
  { "Геннадий", "Геннадьевич", "Геннадьевна" },
  { "Георгий", "Георгиевич", "Георгиевна" },
  { "Григорий", "Григорьевич", "Григорьевна" },
  { "Денис", "Денисович", "Денисовна" },
  { "Дмитрий", "Дмитриевич", "Дмитриевна" },
  { "Евгений", "Евгеньевич", "Евгеньевна" },
  { "Егор", "Егорович", "Егоровна" },
  { "Иван", "Иванович", "Ивановна" },
  { "Игорь", "Игоревич", "Игоревна" },
  { "Илья", "Ильич", "Ильинична" },
  { "Кирилл", "Кириллович", "Кирилловна" },
  { "Константин", "Константинович", "Константиновна" },
  { "Леонид", "Леонидович", "Леонидовна" },
  { "Максим", "Максимович", "Максимовна" },
  { "Михаил", "Михайлович", "Михайловна" },
  { "Никита", "Никитич", "Никитична" },
  { "Николай", "Николаевич", "Николаевна" },
  { "Олег", "Олегович", "Олеговна" },
  { "Павел", "Павлович", "Павловна" },
  { "Пётр", "Петрович", "Петровна" },
  { "Роман", "Романович", "Романовна" },
  { "Сергей", "Сергеевич", "Сергеевна" },
  { "Станислав", "Станиславович", "Станиславовна" },
  { "Степан", "Степанович", "Степановна" },
  { "Тимофей", "Тимофеевич", "Тимофеевна" },
  { "Фёдор", "Фёдорович", "Фёдоровна" },
  { "Юрий", "Юрьевич", "Юрьевна" },
  { "Ярослав", "Ярославович", "Ярославовна" },
};

static const char *const female_names[] = {
  "Алёна",    "Алиса",   "Анастасия", "Анна",      "Валентина", "Вера",      "Виктория",
  "Галина",   "Дарья",   "Евгения",   "Екатерина", "Елена",     "Елизавета", "Зинаида",
  "Ирина",    "Ксения",  "Лариса",    "Любовь",    "Людмила",   "Маргарита", "Марина",
  "Мария",    "Надежда", "Наталья",   "Нина",      "Оксана",    "Ольга",     "Полина",
  "Светлана", "Софья",   "Тамара",    "Татьяна",   "Юлия",      "Яна",
};

static void
copy_text (char *out, gsize size, const char *text)
{
  g_strlcpy (out, text, size);
}

/* Russian surnames change with gender by their ending: Иванов → Иванова,
 * Покровский → Покровская, Толстой → Толстая; Шевченко, Черных and
 * Ковальчук stay as they are. */
static void
feminine_surname (const char *male, char *out, gsize size)
{
  gsize len = strlen (male);

  if (g_str_has_suffix (male, "ов") || g_str_has_suffix (male, "ев")
      || g_str_has_suffix (male, "ёв") || g_str_has_suffix (male, "ин")
      || g_str_has_suffix (male, "ын"))
    g_snprintf (out, size, "%sа", male);
  else if (g_str_has_suffix (male, "ий") || g_str_has_suffix (male, "ой"))
    g_snprintf (out, size, "%.*sая", (int)(len - strlen ("ий")), male);
  else
    copy_text (out, size, male);
}

void
demo_person (DemoRng *rng, DemoPerson *person)
{
  const char *surname = DEMO_PICK (rng, surnames);
  guint father = demo_rng_below (rng, G_N_ELEMENTS (fathers));

  person->female = demo_rng_chance (rng, 0.55);
  if (person->female)
    {
      feminine_surname (surname, person->surname, sizeof person->surname);
      copy_text (person->first, sizeof person->first, DEMO_PICK (rng, female_names));
      copy_text (person->patronymic, sizeof person->patronymic, fathers[father].daughter);
    }
  else
    {
      guint own = demo_rng_below (rng, G_N_ELEMENTS (fathers));

      copy_text (person->surname, sizeof person->surname, surname);
      copy_text (person->first, sizeof person->first, fathers[own].name);
      copy_text (person->patronymic, sizeof person->patronymic, fathers[father].son);
    }
}

static gsize
first_char_len (const char *text)
{
  return (gsize)(g_utf8_next_char (text) - text);
}

void
demo_person_name (const DemoPerson *person, gboolean short_form, char *out, gsize size)
{
  if (short_form)
    g_snprintf (out, size, "%s %.*s. %.*s.", person->surname, (int)first_char_len (person->first),
                person->first, (int)first_char_len (person->patronymic), person->patronymic);
  else
    g_snprintf (out, size, "%s %s %s", person->surname, person->first, person->patronymic);
}

/* Letters as in passports (ICAO 9303, simplified), for e-mail addresses. */
static const char *
latin_for (gunichar c)
{
  static const char *const table[] = {
    "a", "b", "v", "g", "d", "e",  "zh", "z",  "i",  "i",    "k", "l", "m", "n", "o",  "p",
    "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "",  "y", "",  "e", "iu", "ia",
  };

  c = g_unichar_tolower (c);
  if (c >= 0x0430 && c <= 0x044f)
    return table[c - 0x0430];
  if (c == 0x0451) /* ё */
    return "e";
  return "";
}

void
demo_translit (const char *text, char *out, gsize size)
{
  gsize len = 0;

  for (const char *p = text; *p && len + 5 < size; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      const char *latin;
      gsize n;

      if (c < 0x80)
        {
          if (g_ascii_isalnum ((char)c))
            out[len++] = g_ascii_tolower ((char)c);
          continue;
        }
      latin = latin_for (c);
      n = strlen (latin);
      memcpy (out + len, latin, n);
      len += n;
    }
  out[len] = '\0';
}

/* Streets of Ekaterinburg with the service centre nearer to them. */
static const struct
{
  const char *name;
  guint district;
} streets[] = {
  { "пр. Ленина", DEMO_BRANCH_CENTRAL },
  { "ул. Малышева", DEMO_BRANCH_CENTRAL },
  { "ул. 8 Марта", DEMO_BRANCH_CENTRAL },
  { "ул. Белинского", DEMO_BRANCH_CENTRAL },
  { "ул. Шейнкмана", DEMO_BRANCH_CENTRAL },
  { "ул. Родонитовая", DEMO_BRANCH_CENTRAL },
  { "ул. Куйбышева", DEMO_BRANCH_CENTRAL },
  { "ул. Московская", DEMO_BRANCH_CENTRAL },
  { "ул. Радищева", DEMO_BRANCH_CENTRAL },
  { "ул. Вайнера", DEMO_BRANCH_CENTRAL },
  { "ул. Карла Либкнехта", DEMO_BRANCH_CENTRAL },
  { "ул. Розы Люксембург", DEMO_BRANCH_CENTRAL },
  { "ул. Хохрякова", DEMO_BRANCH_CENTRAL },
  { "ул. Луначарского", DEMO_BRANCH_CENTRAL },
  { "ул. Степана Разина", DEMO_BRANCH_CENTRAL },
  { "ул. Большакова", DEMO_BRANCH_CENTRAL },
  { "ул. Щорса", DEMO_BRANCH_CENTRAL },
  { "ул. Чкалова", DEMO_BRANCH_CENTRAL },
  { "ул. Шварца", DEMO_BRANCH_CENTRAL },
  { "ул. Громова", DEMO_BRANCH_CENTRAL },
  { "ул. Токарей", DEMO_BRANCH_CENTRAL },
  { "ул. Репина", DEMO_BRANCH_CENTRAL },
  { "ул. Посадская", DEMO_BRANCH_CENTRAL },
  { "ул. Ясная", DEMO_BRANCH_CENTRAL },
  { "ул. Бебеля", DEMO_BRANCH_CENTRAL },
  { "ул. Восточная", DEMO_BRANCH_CENTRAL },
  { "ул. Декабристов", DEMO_BRANCH_CENTRAL },
  { "ул. Мамина-Сибиряка", DEMO_BRANCH_CENTRAL },
  { "ул. Тверитина", DEMO_BRANCH_CENTRAL },
  { "ул. Бажова", DEMO_BRANCH_CENTRAL },
  { "ул. Сурикова", DEMO_BRANCH_CENTRAL },
  { "ул. Викулова", DEMO_BRANCH_CENTRAL },
  { "ул. Крауля", DEMO_BRANCH_CENTRAL },
  { "ул. Серафимы Дерябиной", DEMO_BRANCH_CENTRAL },
  { "ул. Амундсена", DEMO_BRANCH_CENTRAL },
  { "ул. Академика Бардина", DEMO_BRANCH_CENTRAL },
  { "ул. Волгоградская", DEMO_BRANCH_CENTRAL },
  { "ул. Шаумяна", DEMO_BRANCH_CENTRAL },
  { "ул. Сыромолотова", DEMO_BRANCH_CENTRAL },
  { "ул. Мира", DEMO_BRANCH_CENTRAL },
  { "ул. Первомайская", DEMO_BRANCH_CENTRAL },
  { "ул. Гагарина", DEMO_BRANCH_CENTRAL },
  { "ул. Комсомольская", DEMO_BRANCH_CENTRAL },
  { "ул. Учителей", DEMO_BRANCH_CENTRAL },
  { "ул. Сибирский тракт", DEMO_BRANCH_CENTRAL },
  { "ул. Ткачей", DEMO_BRANCH_CENTRAL },
  { "ул. Фрунзе", DEMO_BRANCH_CENTRAL },
  { "ул. Белореченская", DEMO_BRANCH_CENTRAL },
  { "ул. Металлургов", DEMO_BRANCH_CENTRAL },
  { "ул. Татищева", DEMO_BRANCH_CENTRAL },
  { "ул. Челюскинцев", DEMO_BRANCH_CENTRAL },
  { "ул. Авиационная", DEMO_BRANCH_CENTRAL },
  { "ул. Ботаническая", DEMO_BRANCH_CENTRAL },
  { "ул. Чайковского", DEMO_BRANCH_CENTRAL },
  { "пр. Космонавтов", DEMO_BRANCH_URALMASH },
  { "ул. Победы", DEMO_BRANCH_URALMASH },
  { "ул. Уральских Рабочих", DEMO_BRANCH_URALMASH },
  { "ул. Машиностроителей", DEMO_BRANCH_URALMASH },
  { "ул. Кировградская", DEMO_BRANCH_URALMASH },
  { "ул. Ильича", DEMO_BRANCH_URALMASH },
  { "ул. Калинина", DEMO_BRANCH_URALMASH },
  { "ул. Индустрии", DEMO_BRANCH_URALMASH },
  { "ул. Донбасская", DEMO_BRANCH_URALMASH },
  { "ул. Бакинских Комиссаров", DEMO_BRANCH_URALMASH },
  { "б-р Культуры", DEMO_BRANCH_URALMASH },
  { "ул. Красных Командиров", DEMO_BRANCH_URALMASH },
  { "ул. Фрезеровщиков", DEMO_BRANCH_URALMASH },
  { "ул. Стачек", DEMO_BRANCH_URALMASH },
  { "ул. Орджоникидзе", DEMO_BRANCH_URALMASH },
  { "ул. Кузнецова", DEMO_BRANCH_URALMASH },
  { "ул. Ломоносова", DEMO_BRANCH_URALMASH },
  { "ул. Шефская", DEMO_BRANCH_URALMASH },
  { "ул. Старых Большевиков", DEMO_BRANCH_URALMASH },
  { "ул. Восстания", DEMO_BRANCH_URALMASH },
  { "ул. Избирателей", DEMO_BRANCH_URALMASH },
  { "ул. Банникова", DEMO_BRANCH_URALMASH },
};

void
demo_address (DemoRng *rng, gboolean private_house, DemoAddress *address)
{
  guint street = demo_rng_below (rng, G_N_ELEMENTS (streets));
  guint house = (guint)demo_rng_range (rng, 1, private_house ? 140 : 120);
  static const char *const letters[] = { "", "", "", "", "", "", "", "", "а", "б", "в" };
  const char *letter = DEMO_PICK (rng, letters);

  address->district = streets[street].district;
  if (private_house)
    g_snprintf (address->text, sizeof address->text, "г. Екатеринбург, %s, д. %u%s",
                streets[street].name, house, letter);
  else
    g_snprintf (address->text, sizeof address->text, "г. Екатеринбург, %s, д. %u%s, кв. %u",
                streets[street].name, house, letter, (guint)demo_rng_range (rng, 1, 280));
}

void
demo_street_address (DemoRng *rng, DemoAddress *address)
{
  guint street = demo_rng_below (rng, G_N_ELEMENTS (streets));
  guint house = (guint)demo_rng_range (rng, 1, 160);

  address->district = streets[street].district;
  if (demo_rng_chance (rng, 0.3))
    g_snprintf (address->text, sizeof address->text, "г. Екатеринбург, %s, д. %u, оф. %u",
                streets[street].name, house, (guint)demo_rng_range (rng, 1, 420));
  else if (demo_rng_chance (rng, 0.3))
    g_snprintf (address->text, sizeof address->text, "г. Екатеринбург, %s, д. %u, корп. %u",
                streets[street].name, house, (guint)demo_rng_range (rng, 1, 4));
  else
    g_snprintf (address->text, sizeof address->text, "г. Екатеринбург, %s, д. %u",
                streets[street].name, house);
}

/* Trade names join a Ural root and a trade ending without a hyphen, as
 * such names usually are: «Уралтехснаб», «Исетьстрой». */
static const char *const name_roots[] = {
  "Урал",  "Исеть",  "Сверд", "Малахит", "Демидов", "Екат", "Самоцвет",
  "Уктус", "Шарташ", "Чусов", "Берёз",   "Сысерть", "Кедр", "Таватуй",
};
static const char *const name_endings[] = {
  "техснаб",       "строй",   "торг",   "сервис", "монтаж", "энерго", "пром",
  "логистик",      "маш",     "металл", "хим",    "лес",    "авто",   "продукт",
  "стройкомплект", "электро", "тепло",  "инвест", "трейд",  "снаб",   "проект",
};
static const char *const plain_names[] = {
  "Вектор", "Гранит", "Северный ветер", "Айсберг",  "Техноком",  "Рябина", "Кристалл",
  "Визит",  "Каскад", "Альянс",         "Меридиан", "Новый век", "Сигма",  "Горизонт",
};
static const char *const legal_forms[] = { "ООО", "ООО", "ООО", "ООО", "АО", "ПАО", "ЗАО" };

static void
trade_name (DemoRng *rng, char *out, gsize size)
{
  if (demo_rng_chance (rng, 0.25))
    copy_text (out, size, DEMO_PICK (rng, plain_names));
  else
    g_snprintf (out, size, "%s%s", DEMO_PICK (rng, name_roots), DEMO_PICK (rng, name_endings));
}

static void
commercial_name (DemoRng *rng, char *out, gsize size)
{
  char name[64];

  trade_name (rng, name, sizeof name);
  g_snprintf (out, size, "%s «%s»", DEMO_PICK (rng, legal_forms), name);
}

static void
budget_name (DemoRng *rng, char *out, gsize size)
{
  static const struct
  {
    const char *before;
    const char *after;
  } formats[] = {
    { "МБОУ СОШ № ", "" },
    { "МАДОУ детский сад № ", "" },
    { "ГАУЗ СО «Городская больница № ", "»" },
    { "ГАУЗ СО «Детская городская поликлиника № ", "»" },
    { "МБУ ДО «Детская школа искусств № ", "»" },
    { "МАОУ гимназия № ", "" },
    { "МБУК «Центральная городская библиотека», филиал № ", "" },
    { "ГАПОУ СО «Екатеринбургский техникум № ", "»" },
  };
  guint format = demo_rng_below (rng, G_N_ELEMENTS (formats));

  g_snprintf (out, size, "%s%u%s", formats[format].before, (guint)demo_rng_range (rng, 1, 250),
              formats[format].after);
}

static void
religious_name (DemoRng *rng, char *out, gsize size)
{
  static const char *const temples[] = {
    "во имя святителя Николая Чудотворца",
    "во имя Святой Троицы",
    "Вознесения Господня",
    "во имя святой великомученицы Екатерины",
    "Покрова Пресвятой Богородицы",
    "Рождества Христова",
    "во имя святого праведного Симеона Верхотурского",
    "Успения Пресвятой Богородицы",
  };

  if (demo_rng_chance (rng, 0.15))
    g_snprintf (out, size,
                "Местная мусульманская религиозная организация «Махалля № %u» "
                "г. Екатеринбурга",
                (guint)demo_rng_range (rng, 1, 40));
  else
    g_snprintf (out, size,
                "Местная религиозная организация православный Приход храма %s "
                "г. Екатеринбурга Екатеринбургской Епархии Русской Православной Церкви "
                "(Московский Патриархат)",
                DEMO_PICK (rng, temples));
}

static void
utility_name (DemoRng *rng, char *out, gsize size)
{
  static const char *const partnerships[] = {
    "Радуга",  "Уралочка",       "Энергетик", "Солнечный", "Берёзка",  "Уютный дом",
    "Заречье", "Исетский берег", "Родник",    "Восход",    "Кедровый", "Семь ветров",
  };
  char name[64];

  switch (demo_rng_below (rng, 4))
    {
      case 0:
        g_snprintf (out, size, "ТСЖ «%s»", DEMO_PICK (rng, partnerships));
        break;
      case 1:
        g_snprintf (out, size, "ТСН «%s-%u»", DEMO_PICK (rng, partnerships),
                    (guint)demo_rng_range (rng, 1, 9));
        break;
      case 2:
        g_snprintf (out, size, "ЖСК «%s-%u»", DEMO_PICK (rng, partnerships),
                    (guint)demo_rng_range (rng, 1, 30));
        break;
      default:
        trade_name (rng, name, sizeof name);
        g_snprintf (out, size, "ООО «УК «%s»»", name);
    }
}

static void
industrial_name (DemoRng *rng, char *out, gsize size)
{
  static const char *const plants[] = {
    "АО «Уральский завод электромашин»",
    "ООО «Исетский металлургический комбинат»",
    "АО «Среднеуральский завод строительных конструкций»",
    "ООО «Екатеринбургский хладокомбинат № 3»",
    "ООО «Свердловский литейный завод»",
    "АО «Уралпромхолод»",
    "ООО «Уральский трубопрокатный завод»",
    "АО «Екатеринбургский завод железобетонных изделий»",
    "ООО «Уралхимпласт-Екатеринбург»",
    "АО «Уральский мукомольный комбинат»",
    "ООО «Логистический центр «Кольцовский»",
    "АО «Уральская кондитерская фабрика»",
  };

  copy_text (out, size, DEMO_PICK (rng, plants));
}

void
demo_org_name (DemoRng *rng, const char *category, char *out, gsize size)
{
  if (strcmp (category, "budget_funded") == 0)
    budget_name (rng, out, size);
  else if (strcmp (category, "religious") == 0)
    religious_name (rng, out, size);
  else if (strcmp (category, "utility_provider") == 0)
    utility_name (rng, out, size);
  else if (strcmp (category, "high_capacity") == 0)
    industrial_name (rng, out, size);
  else
    commercial_name (rng, out, size);
}

static int
inn_check (const char *digits, const int *weights, guint n)
{
  int sum = 0;

  for (guint i = 0; i < n; i++)
    sum += (digits[i] - '0') * weights[i];
  return sum % 11 % 10;
}

/* Taxpayer numbers of the Sverdlovsk region (66) with valid check digits,
 * so that a validating client accepts them. */
void
demo_inn (DemoRng *rng, gboolean person, char *out)
{
  static const int w10[] = { 2, 4, 10, 3, 5, 9, 4, 6, 8 };
  static const int w11[] = { 7, 2, 4, 10, 3, 5, 9, 4, 6, 8 };
  static const int w12[] = { 3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8 };
  static const guint offices[] = { 58, 59, 61, 70, 71, 72, 73, 79, 85 };
  guint body = person ? 8 : 7;

  g_snprintf (out, 13, "66%02u", DEMO_PICK (rng, offices));
  for (guint i = 4; i < 2 + body; i++)
    out[i] = (char)('0' + demo_rng_below (rng, 10));
  if (person)
    {
      out[10] = (char)('0' + inn_check (out, w11, 10));
      out[11] = (char)('0' + inn_check (out, w12, 11));
      out[12] = '\0';
    }
  else
    {
      out[9] = (char)('0' + inn_check (out, w10, 9));
      out[10] = '\0';
    }
}

void
demo_phone (DemoRng *rng, gboolean mobile, char *out)
{
  static const guint mobile_codes[]
    = { 902, 904, 908, 912, 922, 950, 953, 963, 965, 982, 992, 996 };

  if (mobile)
    g_snprintf (out, 13, "+7%u%07u", DEMO_PICK (rng, mobile_codes),
                (guint)demo_rng_range (rng, 0, 9999999));
  else
    g_snprintf (out, 13, "+7343%u%06u", (guint)demo_rng_range (rng, 2, 3),
                (guint)demo_rng_range (rng, 0, 999999));
}

void
demo_email (DemoRng *rng, const char *name_hint, char *out, gsize size)
{
  static const char *const domains[] = {
    "mail.ru", "yandex.ru", "gmail.com", "bk.ru", "list.ru", "inbox.ru", "rambler.ru", "ya.ru",
  };
  char latin[64];

  demo_translit (name_hint, latin, sizeof latin);
  if (latin[0] == '\0')
    copy_text (latin, sizeof latin, "client");
  g_snprintf (out, size, "%s%u@%s", latin, (guint)demo_rng_range (rng, 1, 999),
              DEMO_PICK (rng, domains));
}
