/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The service's own reference data: policy, branches, staff, queue topics
 * and windows. */

#include "okno-demo-private.h"

#include <string.h>

#include "okno-deadline.h"
#include "okno-limits.h"

static const struct
{
  const char *code;
  const char *name;
  const char *kind;
  const char *address;
} branches[DEMO_N_BRANCHES] = {
  { "ЦОК-01", "ЦОК Центральный", "service_centre", "г. Екатеринбург, ул. Малышева, д. 36" },
  { "ЦОК-02", "ЦОК Уралмаш", "service_centre", "г. Екатеринбург, ул. Победы, д. 34" },
  { "ОО-01", "Офис обслуживания юридических лиц", "service_office",
    "г. Екатеринбург, ул. Сурикова, д. 48" },
};

static const OknoDemoUser demo_users[] = {
  { "clerk", "Кузнецова Ольга Сергеевна", "clerk", "ЦОК Центральный" },
  { "admin", "Морозов Дмитрий Александрович", "administrator", "ЦОК Центральный" },
  { "supervisor", "Лебедева Ирина Николаевна", "supervisor", "ЦОК Центральный" },
  { "clerk2", "Новиков Артём Игоревич", "clerk", "ЦОК Уралмаш" },
  { "office", "Павлова Екатерина Андреевна", "clerk", "Офис обслуживания юридических лиц" },
};

const OknoDemoUser *
okno_demo_users (guint *n_users)
{
  if (n_users)
    *n_users = G_N_ELEMENTS (demo_users);
  return demo_users;
}

static const struct
{
  const char *code;
  const char *title;
  guint avg_minutes;
  gboolean active;
} topics[] = {
  { "А", "Оплата и задолженность", 7, TRUE },
  { "Б", "Показания и приборы учёта", 8, TRUE },
  { "В", "Договоры", 20, TRUE },
  { "Г", "Жалобы и обращения", 15, TRUE },
  { "Д", "Справки и документы", 10, TRUE },
  { "Е", "Обслуживание юридических лиц", 25, TRUE },
  /* Connection requests now go to the grid company; kept for old tickets. */
  { "Ж", "Технологическое присоединение", 30, FALSE },
};

const char *
demo_topic_code (guint topic)
{
  return topics[topic].code;
}

guint
demo_n_topics (void)
{
  return G_N_ELEMENTS (topics);
}

static const struct
{
  DemoBranch branch;
  const char *title;
  const char *topic_codes;
  gboolean active;
} windows[] = {
  { DEMO_BRANCH_CENTRAL, "Оплата и показания", "А,Б", TRUE },
  { DEMO_BRANCH_CENTRAL, "Оплата и показания", "А,Б", TRUE },
  { DEMO_BRANCH_CENTRAL, "Договоры и справки", "В,Д", TRUE },
  { DEMO_BRANCH_CENTRAL, "Договоры и справки", "В,Д", TRUE },
  { DEMO_BRANCH_CENTRAL, "Жалобы и обращения", "Г", TRUE },
  { DEMO_BRANCH_CENTRAL, "Оплата, показания, справки", "А,Б,Д", TRUE },
  { DEMO_BRANCH_CENTRAL, "Универсальное окно", "А,Б,В,Г,Д", TRUE },
  { DEMO_BRANCH_CENTRAL, "Оплата и показания", "А,Б", FALSE },
  { DEMO_BRANCH_URALMASH, "Оплата и показания", "А,Б", TRUE },
  { DEMO_BRANCH_URALMASH, "Оплата и показания", "А,Б", TRUE },
  { DEMO_BRANCH_URALMASH, "Договоры и справки", "В,Д", TRUE },
  { DEMO_BRANCH_URALMASH, "Жалобы и обращения", "Г", TRUE },
  { DEMO_BRANCH_URALMASH, "Универсальное окно", "А,Б,В,Г,Д", TRUE },
  { DEMO_BRANCH_URALMASH, "Договоры", "В", FALSE },
  { DEMO_BRANCH_OFFICE, "Договоры юридических лиц", "Е,В", TRUE },
  { DEMO_BRANCH_OFFICE, "Договоры юридических лиц", "Е,В", TRUE },
  { DEMO_BRANCH_OFFICE, "Претензии и обращения", "Е,Г", TRUE },
  { DEMO_BRANCH_OFFICE, "Расчёты, показания, документы", "Е,А,Б,Д", TRUE },
};

/* Values the software reads from data rather than code: limits, thresholds
 * and terms are policy, synced to every branch. */
static const struct
{
  const char *key;
  const char *value;
  const char *note;
} policies[] = {
  { "appeal_answer_days", "30",
    "Срок рассмотрения письменного обращения и направления ответа, календарных дней" },
  { "registration_working_days", "1",
    "Срок регистрации, классификации и передачи обращения специалисту, рабочих дней" },
  { "refusal_notice_working_days", "5",
    "Срок уведомления об отказе в рассмотрении вопроса, поступившего через интернет-приёмную "
    "и не относящегося к компетенции Компании, рабочих дней" },
  { "extension_working_days", "20",
    "Наибольший срок продления, если для решения об отказе нужно больше времени, рабочих дней" },
  { "termination_notice_working_days", "10",
    "Уведомление об одностороннем расторжении договора за неоплату направляется не позднее "
    "чем за столько рабочих дней" },
  { "deadline_warning_percent", "80",
    "Доля срока (в процентах), после которой срок обращения отмечается как подходящий к концу" },
  { "branch_time_zone", OKNO_BRANCH_TIME_ZONE,
    "Часовой пояс, в котором считаются сроки: рабочие и календарные дни филиала" },
  { "phone_answer_minutes", "3",
    "Если ответ по телефону требует больше времени, клиенту называют дату и время обратного "
    "звонка, переводят звонок или с его согласия перезванивают" },
  { "high_capacity_kw", "670",
    "Клиенты с присоединённой мощностью не менее этой (кВт) обслуживаются в офисе обслуживания" },
  /* The bounds of amounts and readings (okno-limits.h gives the reasons
   * and the same values as fallbacks). */
  { "payment_max_kop", OKNO_LIMIT_PAYMENT_MAX_KOP,
    "Наибольшая сумма одного платежа в окне обслуживания, копеек: 500 тыс. руб." },
  { "cash_payment_max_kop", OKNO_LIMIT_CASH_PAYMENT_MAX_KOP,
    "Наибольший платёж наличными от юридического лица или индивидуального "
    "предпринимателя, копеек: 100 тыс. руб. по договору (Указание Банка России 5348-У)" },
  { "household_cash_payment_max_kop", OKNO_LIMIT_HOUSEHOLD_CASH_PAYMENT_MAX_KOP,
    "Наибольший платёж наличными от физического лица, копеек: 200 тыс. руб.; "
    "бо́льшую сумму принимают картой или переводом" },
  { "reading_max_digits", OKNO_LIMIT_READING_MAX_DIGITS,
    "Наибольшее число знаков показания одной шкалы прибора учёта" },
};

/* --- staff ------------------------------------------------------------- */

static void
fixed_staff (DemoStaff *member, const OknoDemoUser *user)
{
  g_strlcpy (member->login, user->login, sizeof member->login);
  g_strlcpy (member->full_name, user->full_name, sizeof member->full_name);
  member->role = user->role;
  member->branch = DEMO_BRANCH_CENTRAL;
  for (guint b = 0; b < DEMO_N_BRANCHES; b++)
    if (strcmp (branches[b].name, user->branch_name) == 0)
      member->branch = (DemoBranch)b;
  member->active = TRUE;
}

static void
generated_staff (OknoDemo *demo, guint index, DemoStaff *member, GHashTable *logins)
{
  static const DemoBranch pattern[]
    = { DEMO_BRANCH_CENTRAL, DEMO_BRANCH_URALMASH, DEMO_BRANCH_CENTRAL, DEMO_BRANCH_URALMASH,
        DEMO_BRANCH_OFFICE };
  DemoPerson person;
  DemoRng rng;
  char surname[64], first[16], middle[16];

  demo_rng_init (demo, &rng, DEMO_STAFF_NAME, index);
  demo_person (&rng, &person);
  demo_person_name (&person, FALSE, member->full_name, sizeof member->full_name);
  demo_translit (person.surname, surname, sizeof surname);
  demo_translit (person.first, first, sizeof first);
  demo_translit (person.patronymic, middle, sizeof middle);
  g_snprintf (member->login, sizeof member->login, "%s.%c%c", surname, first[0], middle[0]);
  /* Namesakes get a number, as a directory service would give them. */
  if (g_hash_table_contains (logins, member->login))
    g_snprintf (member->login, sizeof member->login, "%s.%c%c%u", surname, first[0], middle[0],
                index);
  member->branch = pattern[index % G_N_ELEMENTS (pattern)];
  member->role = index % 10 == 7 ? "administrator" : index % 17 == 0 ? "supervisor" : "clerk";
  member->active = index % 23 != 11; /* a few have left and can no longer sign in */
}

void
demo_staff_init (OknoDemo *demo)
{
  g_autoptr (GHashTable) logins = g_hash_table_new (g_str_hash, g_str_equal);

  demo->staff = g_new0 (DemoStaff, demo->n_staff);
  for (guint b = 0; b < DEMO_N_BRANCHES; b++)
    demo->clerks[b] = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint k = 0; k < demo->n_staff; k++)
    {
      DemoStaff *member = &demo->staff[k];

      if (k < G_N_ELEMENTS (demo_users))
        fixed_staff (member, &demo_users[k]);
      else
        generated_staff (demo, k, member, logins);
      g_hash_table_add (logins, member->login);
      if (member->active && strcmp (member->role, "clerk") == 0)
        g_array_append_val (demo->clerks[member->branch], k);
      if (strcmp (member->login, "supervisor") == 0)
        demo->supervisor = k;
    }
}

void
demo_staff_clear (OknoDemo *demo)
{
  for (guint b = 0; b < DEMO_N_BRANCHES; b++)
    g_clear_pointer (&demo->clerks[b], g_array_unref);
  g_clear_pointer (&demo->staff, g_free);
}

guint
demo_pick_clerk (OknoDemo *demo, DemoRng *rng, DemoBranch branch)
{
  GArray *clerks = demo->clerks[branch];

  return g_array_index (clerks, guint, demo_rng_below (rng, clerks->len));
}

/* --- the passes ---------------------------------------------------------- */

static gboolean
emit_policy (OknoDemo *demo, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (policies); i++)
    {
      demo_row_begin (demo);
      demo_put_static (demo, "key", policies[i].key);
      demo_put_static (demo, "value", policies[i].value);
      demo_put_static (demo, "note", policies[i].note);
      demo_put_int (demo, "version", 1);
      if (!demo_row_end (demo, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
emit_branches (OknoDemo *demo, GError **error)
{
  for (guint b = 0; b < DEMO_N_BRANCHES; b++)
    {
      demo_row_begin (demo);
      demo_put_uuid (demo, "id", DEMO_BRANCH, b);
      demo_put_static (demo, "code", branches[b].code);
      demo_put_static (demo, "name", branches[b].name);
      demo_put_static (demo, "kind", branches[b].kind);
      demo_put_static (demo, "address", branches[b].address);
      demo_put_int (demo, "version", 1);
      if (!demo_row_end (demo, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
emit_staff (OknoDemo *demo, GError **error)
{
  for (guint k = 0; k < demo->n_staff; k++)
    {
      const DemoStaff *member = &demo->staff[k];

      demo_row_begin (demo);
      demo_put_uuid (demo, "id", DEMO_STAFF, k);
      demo_put_static (demo, "login", member->login);
      demo_put_static (demo, "full_name", member->full_name);
      demo_put_static (demo, "role", member->role);
      demo_put_uuid (demo, "branch_id", DEMO_BRANCH, member->branch);
      demo_put_bool (demo, "active", member->active);
      demo_put_int (demo, "version", 1);
      if (!demo_row_end (demo, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
emit_topics (OknoDemo *demo, GError **error)
{
  for (guint t = 0; t < G_N_ELEMENTS (topics); t++)
    {
      demo_row_begin (demo);
      demo_put_uuid (demo, "id", DEMO_TOPIC, t);
      demo_put_static (demo, "code", topics[t].code);
      demo_put_static (demo, "title", topics[t].title);
      demo_put_int (demo, "avg_minutes", topics[t].avg_minutes);
      demo_put_int (demo, "sort_order", t + 1);
      demo_put_bool (demo, "active", topics[t].active);
      demo_put_int (demo, "version", 1);
      if (!demo_row_end (demo, error))
        return FALSE;
    }
  return TRUE;
}

/* What an electricity retailer's clients write about: the topics the
 * register files appeals under. */
static const struct
{
  const char *code;
  const char *title;
} appeal_topics[] = {
  { "recalculation", "Перерасчёт платы за электроэнергию" },
  { "readings", "Показания приборов учёта" },
  { "power_quality", "Качество электроэнергии" },
  { "supply_contract", "Договор энергоснабжения" },
  { "grid_connection", "Технологическое присоединение" },
  { "disconnection", "Отключение и ограничение электроснабжения" },
  { "meter", "Прибор учёта: замена, поверка, опломбирование" },
  { "staff_conduct", "Работа персонала" },
  { "billing", "Начисления и квитанции" },
  { "debt", "Задолженность и рассрочка" },
  { "tariffs", "Тарифы и льготы" },
  { "personal_account", "Личный кабинет клиента" },
  { "service", "Обслуживание в центрах обслуживания клиентов" },
};

int
demo_appeal_topic_index (const char *code)
{
  for (guint t = 0; t < G_N_ELEMENTS (appeal_topics); t++)
    if (strcmp (appeal_topics[t].code, code) == 0)
      return (int)t;
  return -1;
}

static gboolean
emit_appeal_topics (OknoDemo *demo, GError **error)
{
  for (guint t = 0; t < G_N_ELEMENTS (appeal_topics); t++)
    {
      demo_row_begin (demo);
      demo_put_uuid (demo, "id", DEMO_APPEAL_TOPIC, t);
      demo_put_static (demo, "code", appeal_topics[t].code);
      demo_put_static (demo, "title", appeal_topics[t].title);
      demo_put_int (demo, "sort_order", t + 1);
      demo_put_bool (demo, "active", TRUE);
      demo_put_int (demo, "version", 1);
      if (!demo_row_end (demo, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
emit_windows (OknoDemo *demo, GError **error)
{
  guint number[DEMO_N_BRANCHES] = { 0 };

  for (guint w = 0; w < G_N_ELEMENTS (windows); w++)
    {
      demo_row_begin (demo);
      demo_put_uuid (demo, "id", DEMO_WINDOW, w);
      demo_put_uuid (demo, "branch_id", DEMO_BRANCH, windows[w].branch);
      demo_put_int (demo, "number", ++number[windows[w].branch]);
      demo_put_static (demo, "title", windows[w].title);
      demo_put_static (demo, "topic_codes", windows[w].topic_codes);
      demo_put_bool (demo, "active", windows[w].active);
      demo_put_int (demo, "version", 1);
      if (!demo_row_end (demo, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
demo_emit_reference (OknoDemo *demo, const char *collection, GError **error)
{
  static const struct
  {
    const char *name;
    gboolean (*emit) (OknoDemo *demo, GError **error);
  } passes[] = {
    { "policy", emit_policy },   { "branches", emit_branches },
    { "staff", emit_staff },     { "queue_topics", emit_topics },
    { "windows", emit_windows }, { "appeal_topics", emit_appeal_topics },
  };

  for (guint i = 0; i < G_N_ELEMENTS (passes); i++)
    if (strcmp (passes[i].name, collection) == 0)
      {
        demo_collection_begin (demo, collection);
        return passes[i].emit (demo, error) && demo_collection_end (demo, error);
      }
  /* A collection the generator does not know yet stays empty. */
  return TRUE;
}
