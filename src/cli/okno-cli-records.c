/* SPDX-License-Identifier: GPL-3.0-or-later */

/* okno-cli reading, payment, appeal and appeal-set: the record commands
 * write exactly what the counter writes, through the same store
 * functions: the record and its outbox entry in one transaction. */

#include "okno-cli-common.h"

#include <glib/gi18n.h>
#include <string.h>

#include "okno-meta-keys.h"

/* Who writes a record: the person sign-in stored here, else whoever last
 * signed in online on this replica (the way it has always been). The
 * store writes every record in their name and their branch's: no command
 * takes an author from its arguments. */
static char *
author (OknoStore *store, GError **error)
{
  g_autofree char *login = okno_store_get_meta (store, OKNO_META_CLI_LOGIN, NULL);
  g_autofree char *key = login ? okno_meta_key_for (OKNO_META_STAFF_ID, login) : NULL;
  g_autofree char *branch_key = NULL, *branch = NULL;
  char *staff = key ? okno_store_get_meta (store, key, NULL) : NULL;

  if (staff != NULL)
    branch_key = okno_meta_key_for (OKNO_META_STAFF_BRANCH_ID, login);
  if (staff == NULL)
    {
      staff = okno_store_get_meta (store, OKNO_META_STAFF_ID, NULL);
      branch_key = okno_meta_key_for (OKNO_META_STAFF_BRANCH_ID, NULL);
    }
  if (staff == NULL)
    {
      okno_cli_no_session_error (error);
      return NULL;
    }
  branch = okno_store_get_meta (store, branch_key, NULL);
  okno_store_set_author (store, staff, branch);
  return staff;
}

static int
create_and_print (OknoStore *store, const OknoCollection *c, OknoValue *v)
{
  g_autoptr (GError) error = NULL;

  if (!okno_store_create (store, c, v, &error))
    return okno_cli_fail (error);
  g_print ("%s\n", v[0].text);
  return 0;
}

static char *
utc_now (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

int
okno_cli_reading (int argc, char **argv)
{
  g_autofree char *meter = NULL, *date = NULL;
  /* G_MININT64: not given; anything else, even negative, goes to the
   * rule (okno_reading_check), which says what is wrong with it. */
  gint64 t[3] = { G_MININT64, G_MININT64, G_MININT64 };
  GOptionEntry entries[] = {
    { "meter", 0, 0, G_OPTION_ARG_STRING, &meter, N_ ("Meter identifier"), "ID" },
    { "t1", 0, 0, G_OPTION_ARG_INT64, &t[0], N_ ("Reading of zone 1, kWh"), "N" },
    { "t2", 0, 0, G_OPTION_ARG_INT64, &t[1], N_ ("Reading of zone 2, kWh"), "N" },
    { "t3", 0, 0, G_OPTION_ARG_INT64, &t[2], N_ ("Reading of zone 3, kWh"), "N" },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date, N_ ("Day the reading was taken"), "YYYY-MM-DD" },
    { NULL },
  };
  const OknoCollection *c = okno_collection_lookup ("readings");
  g_autoptr (GOptionContext) ctx = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoStore) store = NULL;
  g_autofree OknoValue *v = okno_row_new (c);
  g_autofree char *id = okno_uuid7_new (), *now = utc_now (), *staff = NULL;

  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return okno_cli_fail (error);
  if (meter == NULL || t[0] == G_MININT64)
    {
      g_printerr ("okno-cli: %s\n", _ ("reading needs --meter and --t1"));
      return 2;
    }
  if ((store = okno_cli_open_store (&error)) == NULL || (staff = author (store, &error)) == NULL)
    return okno_cli_fail (error);
  if (date == NULL)
    date = g_strndup (now, 10);
  okno_row_set_text (c, v, "id", id);
  okno_row_set_text (c, v, "meter_id", meter);
  okno_row_set_text (c, v, "taken_on", date);
  for (int z = 0; z < 3; z++)
    if (t[z] != G_MININT64)
      okno_row_set_int (c, v, z == 0 ? "t1" : z == 1 ? "t2" : "t3", t[z]);
  okno_row_set_text (c, v, "source", "counter");
  okno_row_set_text (c, v, "accepted_at", now);
  okno_row_set_int (c, v, "version", 0);
  return create_and_print (store, c, v);
}

int
okno_cli_payment (int argc, char **argv)
{
  g_autofree char *account = NULL, *amount = NULL, *method = NULL;
  GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account, N_ ("Account identifier"), "ID" },
    { "amount", 0, 0, G_OPTION_ARG_STRING, &amount, N_ ("Amount in roubles"), "SUM" },
    { "method", 0, 0, G_OPTION_ARG_STRING, &method, N_ ("cash, card, bank_transfer or terminal"),
      "METHOD" },
    { NULL },
  };
  const OknoCollection *c = okno_collection_lookup ("payments");
  g_autoptr (GOptionContext) ctx = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoStore) store = NULL;
  g_autofree OknoValue *v = okno_row_new (c);
  g_autofree char *id = okno_uuid7_new (), *now = utc_now (), *staff = NULL;
  gint64 kop;

  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return okno_cli_fail (error);
  if (account == NULL || amount == NULL)
    {
      g_printerr ("okno-cli: %s\n", _ ("payment needs --account and --amount"));
      return 2;
    }
  if (!okno_money_parse (amount, &kop, &error) || (store = okno_cli_open_store (&error)) == NULL
      || (staff = author (store, &error)) == NULL)
    return okno_cli_fail (error);
  okno_row_set_text (c, v, "id", id);
  okno_row_set_text (c, v, "account_id", account);
  okno_row_set_int (c, v, "amount_kop", kop);
  okno_row_set_text (c, v, "paid_at", now);
  okno_row_set_text (c, v, "method", method ? method : "cash");
  okno_row_set_int (c, v, "version", 0);
  return create_and_print (store, c, v);
}

/* --document "TITLE[:copy][:PAGES]": an original unless ":copy" follows
 * the title; ":PAGES" a number of pages. */
static gboolean
parse_document (const char *text, OknoAppealDocumentSpec *document, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (text, ":", 3);
  guint n = g_strv_length (parts);

  document->title = NULL;
  document->original = TRUE;
  document->pages = 0;
  for (guint i = 1; i < n; i++)
    {
      guint64 pages;

      if (g_str_equal (parts[i], "copy"))
        document->original = FALSE;
      else if (g_str_equal (parts[i], "original"))
        document->original = TRUE;
      else if (g_ascii_string_to_unsigned (parts[i], 10, 1, 100000, &pages, NULL))
        document->pages = (guint)pages;
      else
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _ ("“%s” is no document: write TITLE[:copy][:PAGES]"), text);
          return FALSE;
        }
    }
  document->title = text; /* the caller cuts it at the first colon */
  return TRUE;
}

static OknoAppealDocumentSpec *
parse_documents (char **texts, guint *n, GError **error)
{
  g_autofree OknoAppealDocumentSpec *documents = NULL;

  *n = texts ? g_strv_length (texts) : 0;
  documents = g_new0 (OknoAppealDocumentSpec, *n + 1);
  for (guint i = 0; i < *n; i++)
    {
      if (!parse_document (texts[i], &documents[i], error))
        return NULL;
      /* The title ends at the first colon, in place. */
      if (strchr (texts[i], ':') != NULL)
        *strchr (texts[i], ':') = '\0';
    }
  return g_steal_pointer (&documents);
}

/* The topic's id by its code, NULL with an error for an unknown one. */
static char *
topic_id (OknoStore *store, const char *code, GError **error)
{
  char *id;

  if (code == NULL)
    return NULL;
  id = okno_store_find_appeal_topic (store, code, error);
  if (id == NULL && error && *error == NULL)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 _ ("No topic of appeals has the code “%s”"), code);
  return id;
}

int
okno_cli_appeal (int argc, char **argv)
{
  g_autofree char *account = NULL, *kind = NULL, *subject = NULL, *body = NULL, *answer = NULL;
  g_autofree char *channel = NULL, *applicant = NULL, *address = NULL, *topic = NULL;
  g_auto (GStrv) document_texts = NULL;
  GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account, N_ ("Account identifier"), "ID" },
    { "applicant", 0, 0, G_OPTION_ARG_STRING, &applicant,
      N_ ("Who the appeal is from, without an account"), "NAME" },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind, N_ ("consultation, application, complaint, …"),
      "KIND" },
    { "channel", 0, 0, G_OPTION_ARG_STRING, &channel,
      N_ ("How the appeal came in (in_person unless told)"), "CHANNEL" },
    { "topic", 0, 0, G_OPTION_ARG_STRING, &topic, N_ ("The topic's code"), "CODE" },
    { "subject", 0, 0, G_OPTION_ARG_STRING, &subject, N_ ("Subject"), "TEXT" },
    { "body", 0, 0, G_OPTION_ARG_STRING, &body, N_ ("Text of the appeal"), "TEXT" },
    { "answer-channel", 0, 0, G_OPTION_ARG_STRING, &answer, N_ ("How the client wants the answer"),
      "CHANNEL" },
    { "answer-address", 0, 0, G_OPTION_ARG_STRING, &address,
      N_ ("Where the answer goes: e-mail, phone, postal address, …"), "ADDRESS" },
    { "document", 0, 0, G_OPTION_ARG_STRING_ARRAY, &document_texts,
      N_ ("An attached document; may be repeated"), "TITLE[:copy][:PAGES]" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoStore) store = NULL;
  g_autofree OknoAppealDocumentSpec *documents = NULL;
  g_autofree char *staff = NULL, *topic_key = NULL, *number = NULL, *id = NULL;
  OknoAppealRequest request = { 0 };

  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return okno_cli_fail (error);
  if (kind == NULL || subject == NULL || body == NULL)
    {
      g_printerr ("okno-cli: %s\n", _ ("appeal needs --kind, --subject and --body"));
      return 2;
    }
  if ((documents = parse_documents (document_texts, &request.n_documents, &error)) == NULL)
    return okno_cli_fail (error);
  /* Only someone signed in registers an appeal, in their name. */
  if ((store = okno_cli_open_store (&error)) == NULL || (staff = author (store, &error)) == NULL
      || (topic && (topic_key = topic_id (store, topic, &error)) == NULL))
    return okno_cli_fail (error);
  request.registration.kind = kind;
  request.registration.channel = channel ? channel : "in_person";
  request.registration.subject = subject;
  request.registration.account_id = account;
  request.registration.applicant_name = applicant;
  /* At the counter the answer is given there unless the client asks
   * for another channel. */
  request.registration.answer_channel = answer ? answer : "in_person";
  request.registration.answer_address = address;
  request.body = body;
  request.topic_id = topic_key;
  request.documents = documents;
  /* The rules are the domain's (okno-appeal-rules.h), the number and the
   * due date the store's, in one transaction with the outbox entries. */
  if ((number = okno_store_register_appeal (store, &request, &id, &error)) == NULL)
    return okno_cli_fail (error);
  g_print ("%s\n%s\n", id, number);
  return 0;
}

int
okno_cli_appeal_set (int argc, char **argv)
{
  g_autofree char *appeal = NULL;
  GOptionEntry entries[] = {
    { "appeal", 0, 0, G_OPTION_ARG_STRING, &appeal, N_ ("Appeal identifier"), "ID" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("FIELD=VALUE…");
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoStore) store = NULL;
  g_autoptr (GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *staff = NULL;

  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return okno_cli_fail (error);
  for (int i = 1; i < argc; i++)
    {
      const char *eq = strchr (argv[i], '=');

      if (eq == NULL)
        continue;
      g_ptr_array_add (fields, g_strndup (argv[i], eq - argv[i]));
      g_ptr_array_add (values, *(eq + 1) ? g_strdup (eq + 1) : NULL);
    }
  if (appeal == NULL || fields->len == 0)
    {
      g_printerr ("okno-cli: %s\n", _ ("appeal-set needs --appeal and FIELD=VALUE"));
      return 2;
    }
  if ((store = okno_cli_open_store (&error)) == NULL || (staff = author (store, &error)) == NULL
      || !okno_store_patch (store, okno_collection_lookup ("appeals"), appeal, fields->len,
                            (const char *const *)fields->pdata, (const char *const *)values->pdata,
                            &error))
    return okno_cli_fail (error);
  return 0;
}
