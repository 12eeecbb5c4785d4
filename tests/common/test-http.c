/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Requests of a test itself to okno-central, and their answers. */

#include "test-http.h"

#include <string.h>

void
test_answer_free (TestAnswer *answer)
{
  g_clear_pointer (&answer->root, json_node_unref);
  g_clear_pointer (&answer->body, g_bytes_unref);
  g_clear_object (&answer->msg);
  g_clear_error (&answer->error);
  g_free (answer);
}

SoupMessage *
test_http_message (const char *base, const char *method, const char *path, const char *auth,
                   const char *body, gssize body_length)
{
  g_autofree char *url = g_strconcat (base, path, NULL);
  SoupMessage *msg = soup_message_new (method, url);

  g_assert_nonnull (msg);
  if (auth)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (body)
    {
      g_autoptr (GBytes) bytes
        = g_bytes_new (body, body_length < 0 ? strlen (body) : (gsize)body_length);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  return msg;
}

void
test_answer_finish (TestAnswer *answer, GBytes *body)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  gsize length = 0;
  const char *data;

  answer->status = soup_message_get_status (answer->msg);
  answer->body = body;
  if (body == NULL)
    return;
  data = g_bytes_get_data (body, &length);
  if (length > 0 && json_parser_load_from_data (parser, data, (gssize)length, NULL))
    answer->root = json_node_copy (json_parser_get_root (parser));
}

TestAnswer *
test_http_send (SoupSession *session, SoupMessage *msg)
{
  TestAnswer *answer = g_new0 (TestAnswer, 1);

  answer->msg = msg;
  test_answer_finish (answer, soup_session_send_and_read (session, msg, NULL, &answer->error));
  return answer;
}

TestAnswer *
test_http_request (SoupSession *session, const char *base, const char *method, const char *path,
                   const char *auth, const char *body)
{
  return test_http_send (session, test_http_message (base, method, path, auth, body, -1));
}

JsonObject *
test_answer_object (TestAnswer *answer)
{
  g_assert_no_error (answer->error);
  g_assert_nonnull (answer->root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (answer->root));
  return json_node_get_object (answer->root);
}

const char *
test_answer_header (TestAnswer *answer, const char *name)
{
  return soup_message_headers_get_one (soup_message_get_response_headers (answer->msg), name);
}

void
test_assert_answer_error (TestAnswer *answer, guint status, const char *code)
{
  JsonObject *body = test_answer_object (answer);

  g_assert_cmpuint (answer->status, ==, status);
  g_assert_cmpstr (json_object_get_string_member (body, "error"), ==, code);
  g_assert_true (strlen (json_object_get_string_member (body, "message")) > 0);
  g_assert_cmpuint (json_object_get_size (body), ==, 2);
}

TestAnswer *
test_http_sign_in (SoupSession *session, const char *base, const char *login, const char *password,
                   const char *device)
{
  g_autofree char *body = g_strdup_printf (
    "{\"login\":\"%s\",\"password\":\"%s\",\"device_id\":\"%s\"}", login, password, device);
  TestAnswer *answer = test_http_request (session, base, "POST", "/session", NULL, body);

  g_assert_cmpuint (answer->status, ==, SOUP_STATUS_OK);
  return answer;
}

char *
test_answer_bearer (TestAnswer *signed_in)
{
  return g_strdup_printf (
    "Bearer %s", json_object_get_string_member (test_answer_object (signed_in), "access_token"));
}
