/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The service's own records: appeals with their histories, the feedback
 * book and pre-booked appointments. */

#include "okno-demo-private.h"

#include <string.h>

#define HOUR 3600
#define DAY  86400

typedef struct
{
  const char *subject;
  const char *body;
  const char *answer;
} AppealText;

static const AppealText consultations[] = {
  { "Порядок передачи показаний",
    "Клиент уточнил, в какие дни месяца и какими способами можно передать показания прибора учёта.",
    "Разъяснено: показания принимаются с 15 по 25 число месяца в ЦОК, по телефону, в личном "
    "кабинете и через терминалы." },
  { "Сумма задолженности",
    "Клиент попросил назвать сумму задолженности по лицевому счёту и срок оплаты.",
    "После идентификации клиента названа сумма задолженности и срок оплаты, выдан платёжный "
    "документ." },
  { "Документы для заключения договора",
    "Клиент уточнил перечень документов для заключения договора энергоснабжения.",
    "Выдан перечень документов, разъяснён порядок подачи заявления." },
  { "Часы работы ЦОК",
    "Клиент уточнил режим работы центров обслуживания и возможность предварительной записи.",
    "Назван режим работы, разъяснён порядок предварительной записи по телефону и на сайте." },
  { "Порядок обжалования",
    "Клиент спросил, как обжаловать начисление и в какой срок будет дан ответ.",
    "Разъяснён порядок подачи письменного обращения и срок ответа — 30 календарных дней." },
};

static const AppealText applications[] = {
  { "Заявление на перерасчёт",
    "Прошу произвести перерасчёт платы за электроэнергию за период временного отсутствия. "
    "Проездные документы прилагаю.",
    "Перерасчёт произведён, сумма отражена в очередном платёжном документе." },
  { "Заключение договора энергоснабжения",
    "Прошу заключить договор энергоснабжения в связи с приобретением жилого помещения. Копии "
    "правоустанавливающих документов прилагаю.",
    "Договор подготовлен и направлен клиенту для подписания." },
  { "Замена прибора учёта",
    "Прошу принять в эксплуатацию новый прибор учёта взамен вышедшего из строя и учитывать "
    "его показания при начислении.",
    "Прибор учёта допущен в эксплуатацию, начальные показания внесены в лицевой счёт." },
  { "Смена владельца лицевого счёта",
    "Прошу переоформить лицевой счёт на нового собственника. Выписку из ЕГРН прилагаю.",
    "Лицевой счёт переоформлен, клиенту выдан новый платёжный документ." },
  { "Справка об отсутствии задолженности",
    "Прошу выдать справку об отсутствии задолженности за электроэнергию для предъявления по "
    "месту требования.",
    "Справка подготовлена и направлена выбранным клиентом способом." },
  { "Акт сверки расчётов",
    "Просим предоставить акт сверки взаимных расчётов по договору энергоснабжения за текущий год.",
    "Акт сверки направлен клиенту, расхождений не выявлено." },
};

static const AppealText complaints[] = {
  { "Некорректное начисление",
    "В платёжном документе начислено больше, чем по переданным показаниям. Прошу проверить "
    "начисление и исправить ошибку.",
    "Проверка проведена: показания учтены с опозданием, начисление исправлено." },
  { "Не учтена оплата",
    "Оплата, внесённая через банк, не отражена в лицевом счёте, начислены пени. Копию чека "
    "прилагаю.",
    "Платёж найден и зачтён, пени сторнированы." },
  { "Качество обслуживания в ЦОК",
    "Пришлось долго ждать в очереди, хотя было свободное окно. Прошу принять меры.",
    "Приносим извинения. С сотрудниками проведена беседа, график работы окон пересмотрен." },
  { "Уведомление об ограничении",
    "Получено уведомление о введении ограничения режима потребления, хотя задолженность "
    "погашена. Прошу отозвать уведомление.",
    "Задолженность погашена до даты ограничения, уведомление отозвано." },
  { "Долгое ожидание ответа по телефону",
    "Не удалось дозвониться в контакт-центр в течение получаса. Обратного звонка не было.",
    "Приносим извинения за неудобства, обращение передано руководителю контакт-центра." },
};

static const AppealText suggestions[] = {
  { "Режим работы по субботам",
    "Предлагаю открыть ЦОК по субботам хотя бы до обеда — в будни прийти не получается.",
    "Спасибо за предложение, оно будет рассмотрено при утверждении графика на следующий год." },
  { "Электронная очередь", "Предлагаю показывать на табло примерное время ожидания по каждой теме.",
    "Спасибо за предложение, оно передано в службу качества обслуживания." },
  { "Напоминания о показаниях", "Предлагаю присылать SMS-напоминание о сроке передачи показаний.",
    "Спасибо, рассылка напоминаний доступна в личном кабинете клиента." },
};

static const AppealText thanks[] = {
  { "Благодарность специалисту ЦОК",
    "Благодарю специалиста за внимательное отношение и подробную консультацию.",
    "Спасибо за тёплые слова, благодарность передана сотруднику." },
  { "Благодарность за быстрое решение вопроса",
    "Вопрос с перерасчётом решили за один визит. Спасибо!",
    "Спасибо за отзыв, нам приятно, что вопрос решён быстро." },
};

static const char *const comments[] = {
  "Запрошены сведения в сетевой организации",   "Клиенту позвонили, уточнили период и показания",
  "Запрошена копия акта допуска прибора учёта", "Проверены платежи за последние шесть месяцев",
  "Ожидается ответ банка по платежу",
};

static const struct
{
  const char *status;
  const char *text;
} refusals[] = {
  { "declined", "Отказано в ответе по существу: на тот же вопрос ответ уже давался, новых доводов "
                "нет. Клиент уведомлён." },
  { "declined",
    "Отказано в ответе по существу: ответ раскрыл бы персональные данные третьего лица. "
    "Клиент уведомлён." },
  { "no_action", "Оставлено без рассмотрения: текст обращения не поддаётся прочтению." },
  { "no_action", "Оставлено без рассмотрения: обращение содержит нецензурные выражения." },
  { "no_action", "Оставлено без рассмотрения: в обращении нет контактных данных для ответа." },
};

static const struct
{
  const char *channel;
  const char *words;
  const char *answer_by;
  guint weight;
} channels[] = {
  { "in_person", "личный приём", "post", 35 },
  { "phone", "телефон", "phone", 15 },
  { "post", "почта", "post", 10 },
  { "email", "электронная почта", "email", 14 },
  { "web_reception", "интернет-приёмная", "email", 14 },
  { "web_account", "личный кабинет", "web_account", 6 },
  { "feedback_book", "книга отзывов и предложений", "post", 2 },
  { "gis_zhkh", "ГИС ЖКХ", "gis_zhkh", 2 },
  { "social", "социальные сети", "email", 2 },
};

typedef struct
{
  const char *kind;
  const AppealText *text;
  guint channel;
  gboolean has_account;
  guint account;
  DemoBranch branch;
  gboolean at_branch; /* registered at a counter, not remotely */
  const char *status;
  const char *refusal;
  const char *urgency;
  guint assignee;
  guint registrar;
  gboolean extended;
  int due_on;
  /* The history; 0 where a step did not happen. */
  gint64 registered_at, assigned_at, progress_at, comment_at, extended_at, answered_at, closed_at,
    updated_at;
  DemoRng rng;
} DemoAppeal;

static const AppealText *
appeal_text (DemoRng *rng, const char *kind)
{
  if (strcmp (kind, "consultation") == 0)
    return &DEMO_PICK (rng, consultations);
  if (strcmp (kind, "application") == 0)
    return &DEMO_PICK (rng, applications);
  if (strcmp (kind, "complaint") == 0)
    return &DEMO_PICK (rng, complaints);
  if (strcmp (kind, "suggestion") == 0)
    return &DEMO_PICK (rng, suggestions);
  return &DEMO_PICK (rng, thanks);
}

static guint
pick_channel (DemoRng *rng, const char *kind)
{
  guint weights[G_N_ELEMENTS (channels)];

  /* A consultation is answered while the client is there. */
  if (strcmp (kind, "consultation") == 0)
    return demo_rng_chance (rng, 0.7) ? 0 : 1;
  for (guint c = 0; c < G_N_ELEMENTS (channels); c++)
    weights[c] = channels[c].weight;
  return demo_rng_weighted (rng, weights, G_N_ELEMENTS (channels));
}

/* Moves forward by `delta` (a minute at least), but never past now: steps
 * that would lie ahead all happen "now". previous is never after now. */
static gint64
later (const OknoDemo *demo, gint64 previous, gint64 delta)
{
  return MIN (previous + MAX (delta, 60), demo->now);
}

static const char *
open_status (DemoRng *rng, int age, const char *kind)
{
  static const char *const young[] = { "in_progress", "assigned", "answered", "closed" };
  static const guint young_weights[] = { 45, 15, 30, 10 };
  static const char *const old[] = { "closed", "answered", "refused", "in_progress" };
  static const guint old_weights[] = { 62, 20, 10, 8 };

  if (age < 1)
    return demo_rng_chance (rng, 0.6) ? "registered" : "assigned";
  if (strcmp (kind, "thanks") == 0 || strcmp (kind, "suggestion") == 0)
    return age < 5 ? "assigned" : "closed";
  if (age < 30)
    return young[demo_rng_weighted (rng, young_weights, G_N_ELEMENTS (young))];
  /* An old appeal still in progress is overdue: the supervisor's list. */
  return old[demo_rng_weighted (rng, old_weights, G_N_ELEMENTS (old))];
}

static void
appeal_history (OknoDemo *demo, DemoAppeal *appeal)
{
  DemoRng *rng = &appeal->rng;
  gboolean assigned = strcmp (appeal->status, "registered") != 0;
  gboolean working = assigned && strcmp (appeal->status, "assigned") != 0;
  gboolean answered = working && strcmp (appeal->status, "in_progress") != 0;
  gint64 t;

  t = appeal->assigned_at
    = assigned ? later (demo, appeal->registered_at, demo_rng_range (rng, HOUR, 20 * HOUR)) : 0;
  if (working)
    t = appeal->progress_at = later (demo, t, demo_rng_range (rng, HOUR, 3 * DAY));
  if (working && demo_rng_chance (rng, 0.5))
    t = appeal->comment_at = later (demo, t, demo_rng_range (rng, HOUR, 5 * DAY));
  if (appeal->extended)
    t = appeal->extended_at = later (demo, t, demo_rng_range (rng, HOUR, 3 * DAY));
  if (answered)
    t = appeal->answered_at = later (demo, t, demo_rng_range (rng, 2 * DAY, 20 * DAY));
  if (strcmp (appeal->status, "closed") == 0)
    t = appeal->closed_at = later (demo, t, demo_rng_range (rng, HOUR, 4 * DAY));
  appeal->updated_at = MAX (t, appeal->registered_at);
}

static void
consultation_history (OknoDemo *demo, DemoAppeal *appeal)
{
  appeal->status = "closed";
  appeal->assignee = appeal->registrar; /* answered on the spot */
  appeal->due_on = demo_day_of (appeal->registered_at);
  appeal->answered_at
    = later (demo, appeal->registered_at, demo_rng_range (&appeal->rng, 300, 1200));
  appeal->closed_at = later (demo, appeal->answered_at, 60);
  appeal->updated_at = appeal->closed_at;
}

static gint64
registration_time (OknoDemo *demo, DemoAppeal *appeal, int age)
{
  gboolean at_counter = appeal->channel <= 1; /* in person or by phone */
  int day = demo->today - age;

  /* The data ends early on today's morning: only remote channels, which
   * register around the clock, have anything from today. */
  if (day == demo->today && !at_counter)
    return demo_local_time (day, (int)demo_rng_range (&appeal->rng, 0, 5),
                            (int)demo_rng_range (&appeal->rng, 0, 59));
  if (day == demo->today)
    day--;
  /* Counters and the call centre work on working days only. */
  if (at_counter)
    while (!demo_is_working_day (day) && day > demo->today - 400)
      day--;
  return demo_local_time (day, (int)demo_rng_range (&appeal->rng, 8, 18),
                          (int)demo_rng_range (&appeal->rng, 0, 59));
}

static void
appeal_facts (OknoDemo *demo, guint index, DemoAppeal *appeal)
{
  static const char *const kinds[]
    = { "consultation", "application", "complaint", "suggestion", "thanks" };
  static const guint kind_weights[] = { 25, 35, 22, 8, 10 };
  static const char *const urgencies[] = { "low", "normal", "high", "critical" };
  static const guint urgency_weights[] = { 20, 50, 25, 5 };
  static const guint branch_weights[] = { 45, 40, 15 };
  DemoRng *rng = &appeal->rng;
  double u;
  int age;

  memset (appeal, 0, sizeof *appeal);
  demo_rng_init (demo, rng, DEMO_APPEAL, index);
  appeal->kind = kinds[demo_rng_weighted (rng, kind_weights, G_N_ELEMENTS (kinds))];
  appeal->text = appeal_text (rng, appeal->kind);
  appeal->channel = pick_channel (rng, appeal->kind);
  appeal->has_account = demo_rng_chance (rng, 0.8);
  appeal->account = demo_rng_below (rng, demo->options.accounts);
  appeal->branch = (DemoBranch)demo_rng_weighted (rng, branch_weights, DEMO_N_BRANCHES);
  appeal->at_branch = strcmp (channels[appeal->channel].channel, "in_person") == 0
                      || strcmp (channels[appeal->channel].channel, "feedback_book") == 0;
  appeal->urgency = strcmp (appeal->kind, "complaint") == 0
                      ? urgencies[demo_rng_weighted (rng, urgency_weights, 4)]
                      : NULL;
  appeal->registrar = demo_pick_clerk (demo, rng, appeal->branch);
  appeal->assignee = demo_pick_clerk (demo, rng, appeal->branch);
  u = demo_rng_double (rng);
  age = (int)(200 * u * u); /* most appeals are recent */
  appeal->registered_at = registration_time (demo, appeal, age);
  age = demo->today - demo_day_of (appeal->registered_at);
  if (strcmp (appeal->kind, "consultation") == 0)
    {
      consultation_history (demo, appeal);
      return;
    }
  appeal->status = open_status (rng, age, appeal->kind);
  if (strcmp (appeal->status, "refused") == 0)
    {
      guint r = demo_rng_below (rng, G_N_ELEMENTS (refusals));

      appeal->status = refusals[r].status;
      appeal->refusal = refusals[r].text;
    }
  /* The answer rule (okno-deadline.h): 30 calendar days from the local
   * date, moved to the next working day (Civil Code art. 193). */
  appeal->due_on = demo_day_of (appeal->registered_at) + 30; /* policy appeal_answer_days */
  while (!demo_is_working_day (appeal->due_on))
    appeal->due_on++;
  appeal->extended
    = strcmp (appeal->kind, "application") == 0 && age > 3 && demo_rng_chance (rng, 0.05);
  if (appeal->extended)
    appeal->due_on = demo_add_working_days (appeal->due_on, 20);
  appeal_history (demo, appeal);
}

/* --- appeals ------------------------------------------------------------------ */

/* The topic each subject is filed under (okno-demo-reference.c). */
static const struct
{
  const char *subject;
  const char *topic;
} subject_topics[] = {
  { "Порядок передачи показаний", "readings" },
  { "Сумма задолженности", "debt" },
  { "Документы для заключения договора", "supply_contract" },
  { "Часы работы ЦОК", "service" },
  { "Порядок обжалования", "service" },
  { "Заявление на перерасчёт", "recalculation" },
  { "Заключение договора энергоснабжения", "supply_contract" },
  { "Замена прибора учёта", "meter" },
  { "Смена владельца лицевого счёта", "supply_contract" },
  { "Справка об отсутствии задолженности", "debt" },
  { "Акт сверки расчётов", "billing" },
  { "Некорректное начисление", "billing" },
  { "Не учтена оплата", "billing" },
  { "Качество обслуживания в ЦОК", "staff_conduct" },
  { "Уведомление об ограничении", "disconnection" },
  { "Долгое ожидание ответа по телефону", "service" },
  { "Режим работы по субботам", "service" },
  { "Электронная очередь", "service" },
  { "Напоминания о показаниях", "readings" },
  { "Благодарность специалисту ЦОК", "staff_conduct" },
  { "Благодарность за быстрое решение вопроса", "staff_conduct" },
};

static int
subject_topic (const char *subject)
{
  for (guint i = 0; i < G_N_ELEMENTS (subject_topics); i++)
    if (strcmp (subject_topics[i].subject, subject) == 0)
      return demo_appeal_topic_index (subject_topics[i].topic);
  return -1;
}

/* Applicants without an account (a neighbour, a future client). */
static const char *const applicants[]
  = { "Смирнов Алексей Викторович", "Фёдорова Наталья Петровна", "Гусев Роман Олегович",
      "Орлова Марина Юрьевна", "Белов Игорь Степанович" };

static gboolean
emit_appeal (OknoDemo *demo, guint index, GError **error)
{
  DemoAppeal appeal;
  int y, m, d, topic;

  appeal_facts (demo, index, &appeal);
  demo_civil_from_days (demo_day_of (appeal.registered_at), &y, &m, &d);
  demo_row_begin (demo);
  demo_put_uuid (demo, "id", DEMO_APPEAL, index);
  demo_put_printf (demo, "number", "%04d/%06u", y, index + 1);
  if (appeal.has_account)
    demo_put_uuid (demo, "account_id", DEMO_ACCOUNT, appeal.account);
  else
    demo_put_null (demo, "account_id");
  demo_put_static (demo, "kind", appeal.kind);
  demo_put_static (demo, "channel", channels[appeal.channel].channel);
  demo_put_static (demo, "answer_channel", channels[appeal.channel].answer_by);
  demo_put_static (demo, "subject", appeal.text->subject);
  demo_put_static (demo, "body", appeal.text->body);
  demo_put_static (demo, "status", appeal.status);
  demo_put_static (demo, "urgency", appeal.urgency);
  demo_put_timestamp (demo, "registered_at", appeal.registered_at);
  demo_put_date (demo, "due_on", appeal.due_on);
  if (strcmp (appeal.status, "registered") == 0)
    demo_put_null (demo, "assignee_id");
  else
    demo_put_uuid (demo, "assignee_id", DEMO_STAFF, appeal.assignee);
  if (appeal.at_branch)
    demo_put_uuid (demo, "branch_id", DEMO_BRANCH, appeal.branch);
  else
    demo_put_null (demo, "branch_id");
  demo_put_timestamp (demo, "updated_at", appeal.updated_at);
  /* Without an account the appeal names who wrote it; the rest of the
   * register is left to what staff enter. */
  if (appeal.has_account)
    demo_put_null (demo, "applicant_name");
  else
    demo_put_static (demo, "applicant_name", applicants[index % G_N_ELEMENTS (applicants)]);
  demo_put_null (demo, "answer_address");
  topic = subject_topic (appeal.text->subject);
  if (topic >= 0)
    demo_put_uuid (demo, "topic_id", DEMO_APPEAL_TOPIC, (guint)topic);
  else
    demo_put_null (demo, "topic_id");
  if (appeal.at_branch)
    demo_put_uuid (demo, "registered_by", DEMO_STAFF, appeal.registrar);
  else
    demo_put_null (demo, "registered_by");
  demo_put_null (demo, "calendar_version");
  demo_put_int (demo, "version", 1);
  return demo_row_end (demo, error);
}

gboolean
demo_emit_appeals (OknoDemo *demo, GError **error)
{
  demo_collection_begin (demo, "appeals");
  for (guint j = 0; j < demo->n_appeals; j++)
    if (!emit_appeal (demo, j, error))
      return FALSE;
  return demo_collection_end (demo, error);
}

/* --- appeal events --------------------------------------------------------------- */

typedef struct
{
  guint64 counter;
  guint appeal;
} EventState;

static gboolean
emit_event (OknoDemo *demo, EventState *state, gint64 at, const guint *staff, const char *kind,
            const char *text, GError **error)
{
  demo_row_begin (demo);
  demo_put_uuid (demo, "id", DEMO_APPEAL_EVENT, state->counter++);
  demo_put_uuid (demo, "appeal_id", DEMO_APPEAL, state->appeal);
  demo_put_timestamp (demo, "at", at);
  if (staff)
    demo_put_uuid (demo, "staff_id", DEMO_STAFF, *staff);
  else
    demo_put_null (demo, "staff_id");
  demo_put_static (demo, "kind", kind);
  demo_put_text (demo, "text", text);
  demo_put_null (demo, "field");
  demo_put_null (demo, "old_value");
  demo_put_null (demo, "new_value");
  demo_put_int (demo, "version", 1);
  return demo_row_end (demo, error);
}

static gboolean
emit_opening_events (OknoDemo *demo, EventState *state, const DemoAppeal *appeal, GError **error)
{
  char text[256];

  g_snprintf (text, sizeof text, "Обращение зарегистрировано, канал: %s",
              channels[appeal->channel].words);
  if (!emit_event (demo, state, appeal->registered_at,
                   appeal->at_branch ? &appeal->registrar : NULL, "registered", text, error))
    return FALSE;
  if (appeal->assigned_at)
    {
      g_snprintf (text, sizeof text, "Передано специалисту: %s",
                  demo->staff[appeal->assignee].full_name);
      if (!emit_event (demo, state, appeal->assigned_at, &demo->supervisor, "assigned", text,
                       error))
        return FALSE;
    }
  if (appeal->progress_at
      && !emit_event (demo, state, appeal->progress_at, &appeal->assignee, "status_changed",
                      "Статус: в работе", error))
    return FALSE;
  return TRUE;
}

static gboolean
emit_closing_events (OknoDemo *demo, EventState *state, DemoAppeal *appeal, GError **error)
{
  if (appeal->comment_at
      && !emit_event (demo, state, appeal->comment_at, &appeal->assignee, "comment",
                      DEMO_PICK (&appeal->rng, comments), error))
    return FALSE;
  if (appeal->extended_at
      && !emit_event (demo, state, appeal->extended_at, &appeal->assignee, "extended",
                      "Срок рассмотрения продлён на 20 рабочих дней, клиент уведомлён", error))
    return FALSE;
  if (appeal->answered_at
      && !emit_event (demo, state, appeal->answered_at, &appeal->assignee,
                      appeal->refusal ? "status_changed" : "answered",
                      appeal->refusal ? appeal->refusal : appeal->text->answer, error))
    return FALSE;
  if (appeal->closed_at
      && !emit_event (demo, state, appeal->closed_at, &appeal->assignee, "status_changed",
                      "Статус: закрыто", error))
    return FALSE;
  return TRUE;
}

gboolean
demo_emit_appeal_events (OknoDemo *demo, GError **error)
{
  EventState state = { 0 };

  demo_collection_begin (demo, "appeal_events");
  for (guint j = 0; j < demo->n_appeals; j++)
    {
      DemoAppeal appeal;

      appeal_facts (demo, j, &appeal);
      state.appeal = j;
      if (!emit_opening_events (demo, &state, &appeal, error)
          || !emit_closing_events (demo, &state, &appeal, error))
        return FALSE;
    }
  return demo_collection_end (demo, error);
}

/* --- the feedback book ------------------------------------------------------------- */

static const char *const feedback_texts[][6] = {
  /* complaint */
  { "Ожидание в очереди заняло больше часа, работало только одно окно из четырёх.",
    "Специалист разговаривал грубо и не стал объяснять начисление.",
    "В зале ожидания душно, не хватает стульев.",
    "Терминал для оплаты не принимает карты уже неделю.",
    "Электронное табло не показывает номера талонов, очередь путается.",
    "Не смогли выдать справку, попросили прийти ещё раз." },
  /* thanks */
  { "Спасибо специалисту окна № 3 за терпение и понятные объяснения!",
    "Быстро и вежливо помогли оформить перерасчёт. Благодарю!",
    "Обслужили вне очереди маму-инвалида, очень внимательные сотрудники.",
    "Всё объяснили про новый счётчик, спасибо большое.",
    "Администратор зала помог заполнить заявление, спасибо.",
    "Приятно удивила скорость обслуживания." },
  /* suggestion */
  { "Поставьте кулер с водой в зале ожидания.", "Сделайте приём по субботам хотя бы раз в месяц.",
    "Добавьте на сайт запись на конкретное время к конкретному окну.",
    "Нужна отдельная очередь для передачи показаний — это занимает минуту.",
    "Повесьте образцы заполнения заявлений на стенде.", "Принимайте оплату по QR-коду на кассе." },
  /* review */
  { "Обслуживание нормальное, ожидание — минут десять.",
    "В целом всё хорошо, но парковка возле офиса всегда занята.",
    "Чисто, удобно, понятная навигация по залу.",
    "Запись через сайт работает, приняли точно в назначенное время.",
    "Ответили на все вопросы, хотя пришлось подождать.",
    "Хорошо, что есть пандус и кнопка вызова персонала." },
};

/* Management reviews the book, and sets the urgency of complaints then. */
static void
put_review (OknoDemo *demo, DemoRng *rng, gboolean complaint, gboolean reviewed, gint64 written)
{
  static const char *const urgencies[] = { "low", "normal", "high", "critical" };
  static const guint urgency_weights[] = { 25, 50, 20, 5 };

  demo_put_static (demo, "urgency",
                   reviewed && complaint ? urgencies[demo_rng_weighted (rng, urgency_weights, 4)]
                                         : NULL);
  if (!reviewed)
    {
      demo_put_null (demo, "reviewed_by");
      demo_put_null (demo, "reviewed_at");
      return;
    }
  demo_put_uuid (demo, "reviewed_by", DEMO_STAFF, demo->supervisor);
  demo_put_timestamp (demo, "reviewed_at",
                      later (demo, written, demo_rng_range (rng, HOUR, 3 * DAY)));
}

static gboolean
emit_feedback (OknoDemo *demo, guint index, GError **error)
{
  static const char *const kinds[] = { "complaint", "thanks", "suggestion", "review" };
  static const guint kind_weights[] = { 35, 35, 15, 15 };
  static const guint branch_weights[] = { 45, 40, 15 };
  DemoRng rng;
  DemoPerson person;
  char author[160];
  guint kind, branch;
  double u;
  int age;
  gint64 written;

  demo_rng_init (demo, &rng, DEMO_FEEDBACK, index);
  kind = demo_rng_weighted (&rng, kind_weights, G_N_ELEMENTS (kinds));
  branch = demo_rng_weighted (&rng, branch_weights, DEMO_N_BRANCHES);
  u = demo_rng_double (&rng);
  age = 1 + (int)(120 * u * u); /* the book is read in the morning */
  written = demo_local_time (demo->today - age, (int)demo_rng_range (&rng, 8, 18),
                             (int)demo_rng_range (&rng, 0, 59));
  written = MIN (written, demo->now - demo_rng_range (&rng, 600, 7200));
  demo_person (&rng, &person);
  demo_person_name (&person, FALSE, author, sizeof author);

  demo_row_begin (demo);
  demo_put_uuid (demo, "id", DEMO_FEEDBACK, index);
  demo_put_static (demo, "kind", kinds[kind]);
  demo_put_uuid (demo, "branch_id", DEMO_BRANCH, branch);
  if (demo_rng_chance (&rng, 0.3))
    demo_put_uuid (demo, "account_id", DEMO_ACCOUNT, demo_rng_below (&rng, demo->options.accounts));
  else
    demo_put_null (demo, "account_id");
  demo_put_text (demo, "author", demo_rng_chance (&rng, 0.75) ? author : NULL);
  demo_put_static (demo, "text", feedback_texts[kind][demo_rng_below (&rng, 6)]);
  demo_put_timestamp (demo, "written_at", written);
  put_review (demo, &rng, kind == 0, age >= 3 && demo_rng_chance (&rng, 0.85), written);
  demo_put_int (demo, "version", 1);
  return demo_row_end (demo, error);
}

gboolean
demo_emit_feedback (OknoDemo *demo, GError **error)
{
  demo_collection_begin (demo, "feedback");
  for (guint k = 0; k < demo->n_feedback; k++)
    if (!emit_feedback (demo, k, error))
      return FALSE;
  return demo_collection_end (demo, error);
}

/* --- appointments -------------------------------------------------------------------- */

static const char *
appointment_status (OknoDemo *demo, DemoRng *rng, gint64 starts_at)
{
  static const char *const past[] = { "served", "missed", "cancelled" };
  static const guint past_weights[] = { 75, 15, 10 };

  if (starts_at > demo->now)
    return demo_rng_chance (rng, 0.88) ? "booked" : "cancelled";
  if (starts_at > demo->now - HOUR)
    return "arrived";
  return past[demo_rng_weighted (rng, past_weights, G_N_ELEMENTS (past))];
}

static guint
appointment_topic (DemoRng *rng, DemoBranch branch)
{
  /* The office serves its own topic (Е) and contracts (В); ЦОК the rest. */
  if (branch == DEMO_BRANCH_OFFICE)
    return demo_rng_chance (rng, 0.7) ? 5 : 2;
  return demo_rng_below (rng, 5);
}

static gboolean
emit_appointment (OknoDemo *demo, guint index, GError **error)
{
  static const guint branch_weights[] = { 45, 40, 15 };
  DemoRng rng;
  DemoPerson person;
  DemoBranch branch;
  char name[160], phone[16];
  int day;
  gint64 starts_at;
  guint slot;

  demo_rng_init (demo, &rng, DEMO_APPOINTMENT, index);
  branch = (DemoBranch)demo_rng_weighted (&rng, branch_weights, DEMO_N_BRANCHES);
  day = demo->today + (int)demo_rng_range (&rng, -10, 14);
  while (!demo_is_working_day (day))
    day++;
  slot = demo_rng_below (&rng, 27); /* every 20 minutes from 9:00 to 17:40 */
  starts_at = demo_local_time (day, 9 + (int)(slot / 3), (int)(slot % 3) * 20);
  demo_person (&rng, &person);
  demo_person_name (&person, FALSE, name, sizeof name);
  demo_phone (&rng, TRUE, phone);

  demo_row_begin (demo);
  demo_put_uuid (demo, "id", DEMO_APPOINTMENT, index);
  demo_put_uuid (demo, "branch_id", DEMO_BRANCH, branch);
  demo_put_uuid (demo, "topic_id", DEMO_TOPIC, appointment_topic (&rng, branch));
  demo_put_timestamp (demo, "starts_at", starts_at);
  demo_put_text (demo, "client_name", name);
  demo_put_text (demo, "phone", demo_rng_chance (&rng, 0.9) ? phone : NULL);
  if (demo_rng_chance (&rng, 0.6))
    demo_put_uuid (demo, "account_id", DEMO_ACCOUNT, demo_rng_below (&rng, demo->options.accounts));
  else
    demo_put_null (demo, "account_id");
  demo_put_static (demo, "status", appointment_status (demo, &rng, starts_at));
  demo_put_int (demo, "version", 1);
  return demo_row_end (demo, error);
}

gboolean
demo_emit_appointments (OknoDemo *demo, GError **error)
{
  demo_collection_begin (demo, "appointments");
  for (guint k = 0; k < demo->n_appointments; k++)
    if (!emit_appointment (demo, k, error))
      return FALSE;
  return demo_collection_end (demo, error);
}
