/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The bad-request sweep (issue 8, docs/security.md): okno-central is sent
 * a table of malformed, oversized, mistyped, out-of-range, wrong-role and
 * forged requests to every endpoint. Each must get a 4xx with a reason
 * ({"error", "message"}) or, for a mutation the batch carries, a result
 * "rejected" with one; never a 5xx. Afterwards the server still answers,
 * stops cleanly (no sanitizer report) and its database holds exactly the
 * rows it held before, and passes PRAGMA integrity_check.
 *
 * To add a case, add a row to cases[] (or, for a body that is made rather
 * than written, to made_cases ()). Bodies and headers may name the tokens
 * and records of the dataset with the placeholders of expand (). */

#include <glib/gprintf.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sqlite3.h>
#include <string.h>

#include "central-spawn.h"
#include "test-db.h"
#include "test-http.h"

#define DEVICE         "0f4bb1a2-6c1e-4d8e-9a53-7e2d1c0b9a88"
#define DEVICE_OUT     "0f4bb1a2-6c1e-4d8e-9a53-7e2d1c0b9a89"
#define DEVICE_EXPIRED "0f4bb1a2-6c1e-4d8e-9a53-7e2d1c0b9a8a"

/* What a case must get. */
typedef enum
{
  EXPECT_4XX,      /* a status from min to max, with {"error", "message"} */
  EXPECT_REJECTED, /* 200, every result "rejected" with "error" and "message" */
  EXPECT_LIBSOUP,  /* a 4xx libsoup gives before any handler of the server sees the request */
} Expect;

typedef struct
{
  const char *kind; /* the count by kind is printed at the end */
  const char *method;
  const char *path;         /* under /api/v1, with its query */
  const char *auth;         /* the whole Authorization header, or NULL */
  const char *content_type; /* NULL: application/json */
  const char *body;         /* NULL: none */
  Expect expect;
  guint min, max;       /* EXPECT_4XX: the status range */
  gsize body_length;    /* 0: up to the body's NUL */
  gboolean chunked;     /* sent without a Content-Length */
  gboolean keep_length; /* the body is made: body_length counts */
} SweepCase;

#define BAD     EXPECT_4XX, 400, 400
#define UNAUTH  EXPECT_4XX, 401, 401
#define FORBID  EXPECT_4XX, 403, 403
#define NOTHERE EXPECT_4XX, 404, 404
#define WRONG   EXPECT_4XX, 405, 405
#define LARGE   EXPECT_4XX, 413, 413
#define MEDIA   EXPECT_4XX, 415, 415
#define REFUSED EXPECT_4XX, 400, 499
#define REJECT  EXPECT_REJECTED, 200, 200
#define SOUP400 EXPECT_LIBSOUP, 400, 400

#define SIGN_IN(login, password, device)                                                           \
  "{\"login\":" login ",\"password\":" password ",\"device_id\":" device "}"
#define BATCH_FROM(device, mutations) "{\"device_id\":\"" device "\",\"mutations\":[" mutations "]}"
#define BATCH(mutations)              BATCH_FROM (DEVICE, mutations)
#define MUTATION(id, collection, op, key, data)                                                    \
  "{\"mutation_id\":\"" id "\",\"seq\":1,\"collection\":" collection ",\"op\":" op ",\"key\":" key \
  ",\"base_version\":null,\"data\":" data "}"
#define MID1 "5e1f0000-0000-4000-8000-000000000001"
#define MID2 "5e1f0000-0000-4000-8000-000000000002"
#define NEW1 "\"5e1f0000-0000-4000-8000-0000000000a1\""
/* A payment that would be accepted, but for what the case changes. */
#define PAYMENT(id, account, amount, method)                                                       \
  "{\"id\":" id ",\"account_id\":" account ",\"amount_kop\":" amount                               \
  ",\"paid_at\":\"2026-11-27T10:00:00Z\",\"method\":" method                                       \
  ",\"branch_id\":null,\"receipt\":null,\"staff_id\":\"@CLERK_ID\"}"
#define A_PAYMENT(amount, method) PAYMENT (NEW1, "\"@ACCOUNT\"", amount, method)
/* A registration the clerk could push from DEVICE (desk 1 of ЦОК-01), but
 * for what the case changes. */
#define APPEAL(number, status, account, applicant, registered_by)                                  \
  "{\"id\":" NEW1 ",\"number\":" number ",\"account_id\":" account                                 \
  ",\"kind\":\"complaint\",\"channel\":\"in_person\",\"answer_channel\":\"in_person\","            \
  "\"subject\":\"Перерасчёт\",\"body\":\"\",\"status\":" status ",\"urgency\":null,"               \
  "\"registered_at\":\"2026-11-27T10:00:00Z\",\"due_on\":\"2026-12-28\",\"assignee_id\":null,"     \
  "\"branch_id\":null,\"updated_at\":\"2026-11-27T10:00:00Z\",\"applicant_name\":" applicant       \
  ",\"answer_address\":null,\"topic_id\":null,\"registered_by\":" registered_by                    \
  ",\"calendar_version\":null}"
#define APPEAL_CREATE(data) BATCH (MUTATION (MID1, "\"appeals\"", "\"create\"", NEW1, data))
#define GOOD_NUMBER         "\"ЦОК-01-01-26-00001\""
/* A document attached to an existing appeal, but for its description. */
#define DOCUMENT(title, pages)                                                                     \
  BATCH (MUTATION (MID1, "\"appeal_documents\"", "\"create\"", NEW1,                               \
                   "{\"id\":" NEW1 ",\"appeal_id\":\"@APPEAL\",\"title\":" title                   \
                   ",\"original\":true,\"pages\":" pages "}"))

static const SweepCase cases[] = {
  /* --- unknown paths and wrong methods --------------------------------- */
  { "unknown", "GET", "/", NULL, NULL, NULL, NOTHERE },
  { "unknown", "GET", "/nothing", "@clerk", NULL, NULL, NOTHERE },
  { "unknown", "GET", "/api/v2/health", NULL, NULL, NULL, NOTHERE },
  { "unknown", "GET", "/snapshot/accounts/extra", "@clerk", NULL, NULL, NOTHERE },
  { "unknown", "GET", "/session/other", "@clerk", NULL, NULL, NOTHERE },
  { "unknown", "GET", "/_faults", "@clerk", NULL, NULL, NOTHERE },
  { "unknown", "POST", "/_faults", "@admin", NULL, "{\"path\":\"/api/v1/changes\"}", NOTHERE },
  { "unknown", "DELETE", "/_faults", "@admin", NULL, NULL, NOTHERE },
  { "unknown", "GET", "/snapshot/nothing", "@clerk", NULL, NULL, NOTHERE },
  /* Not even an administrator reads the server's secrets. */
  { "wrong-role", "GET", "/snapshot/sessions", "@admin", NULL, NULL, NOTHERE },
  { "wrong-role", "GET", "/snapshot/credentials", "@admin", NULL, NULL, NOTHERE },
  { "wrong-role", "GET", "/snapshot/refresh_tokens", "@supervisor", NULL, NULL, NOTHERE },
  /* libsoup refuses a path with "..", with no body. */
  { "unknown", "GET", "/snapshot/..%2Fcredentials", "@admin", NULL, NULL, SOUP400 },
  /* Sent as /etc/passwd: libsoup's client removes the dot segments. */
  { "unknown", "GET", "/snapshot/../../../etc/passwd", "@admin", NULL, NULL, NOTHERE },
  { "unknown", "GET", "/snapshot/", "@clerk", NULL, NULL, NOTHERE },
  { "wrong-method", "POST", "/health", NULL, NULL, "{}", WRONG },
  { "wrong-method", "GET", "/session", "@clerk", NULL, NULL, WRONG },
  { "wrong-method", "PUT", "/session", "@clerk", NULL, "{}", WRONG },
  { "wrong-method", "GET", "/session/refresh", NULL, NULL, NULL, WRONG },
  { "wrong-method", "DELETE", "/session/refresh", "@clerk", NULL, NULL, WRONG },
  { "wrong-method", "POST", "/snapshot", "@clerk", NULL, "{}", WRONG },
  { "wrong-method", "DELETE", "/snapshot/accounts", "@admin", NULL, NULL, WRONG },
  { "wrong-method", "PATCH", "/snapshot/payments", "@clerk", NULL, "{}", WRONG },
  { "wrong-method", "POST", "/changes?cursor=0", "@clerk", NULL, "{}", WRONG },
  { "wrong-method", "GET", "/mutations", "@clerk", NULL, NULL, WRONG },
  { "wrong-method", "PUT", "/mutations", "@clerk", NULL, BATCH (""), WRONG },

  /* --- tokens: missing, bad, expired, forged ----------------------------- */
  { "token", "GET", "/snapshot", NULL, NULL, NULL, UNAUTH },
  { "token", "GET", "/snapshot/accounts", NULL, NULL, NULL, UNAUTH },
  { "token", "GET", "/changes?cursor=0", NULL, NULL, NULL, UNAUTH },
  { "token", "POST", "/mutations", NULL, NULL, BATCH (""), UNAUTH },
  { "token", "DELETE", "/session", NULL, NULL, NULL, UNAUTH },
  { "token", "GET", "/snapshot", "Bearer", NULL, NULL, UNAUTH },
  { "token", "GET", "/snapshot", "Bearer ", NULL, NULL, UNAUTH },
  { "token", "GET", "/snapshot", "Bearer  @token", NULL, NULL, UNAUTH },
  { "token", "GET", "/snapshot", "Token @token", NULL, NULL, UNAUTH },
  { "token", "GET", "/snapshot", "Basic Y2xlcms6Y2xlcms=", NULL, NULL, UNAUTH },
  { "token", "GET", "/snapshot", "Bearer not-a-token", NULL, NULL, UNAUTH },
  { "token", "GET", "/snapshot", "Bearer @token @token", NULL, NULL, UNAUTH },
  { "token", "GET", "/changes?cursor=0", "@expired", NULL, NULL, UNAUTH },
  { "token", "POST", "/mutations", "@expired", NULL, BATCH (""), UNAUTH },
  { "token", "DELETE", "/session", "@expired", NULL, NULL, UNAUTH },
  { "token", "GET", "/snapshot", "@signed-out", NULL, NULL, UNAUTH },
  { "token", "DELETE", "/session", "@signed-out", NULL, NULL, UNAUTH },
  { "forged", "GET", "/snapshot", "@tampered", NULL, NULL, UNAUTH },
  { "forged", "POST", "/mutations", "@tampered", NULL, BATCH (""), UNAUTH },
  { "forged", "GET", "/snapshot", "Bearer @refresh", NULL, NULL, UNAUTH },
  { "forged", "DELETE", "/session", "Bearer @refresh", NULL, NULL, UNAUTH },
  { "forged", "GET", "/snapshot", "Bearer @token\xff", NULL, NULL, UNAUTH },
  { "forged", "POST", "/session/refresh", NULL, NULL,
    "{\"refresh_token\":\"@token\",\"device_id\":\"" DEVICE "\"}", UNAUTH },
  { "forged", "POST", "/session/refresh", NULL, NULL,
    "{\"refresh_token\":\"@refresh\",\"device_id\":\"" DEVICE_OUT "\"}", UNAUTH },
  { "forged", "POST", "/session/refresh", NULL, NULL,
    "{\"refresh_token\":\"not-a-token\",\"device_id\":\"" DEVICE "\"}", UNAUTH },
  /* The clerk's token (signed in from DEVICE) pushing another device's
   * outbox, even a payment that would otherwise be applied. */
  { "forged", "POST", "/mutations", "@clerk", NULL, BATCH_FROM (DEVICE_OUT, ""), FORBID },
  { "forged", "POST", "/mutations", "@clerk", NULL,
    BATCH_FROM (DEVICE_OUT,
                MUTATION (MID1, "\"payments\"", "\"create\"", NEW1, A_PAYMENT ("100", "\"cash\""))),
    FORBID },
  { "forged", "POST", "/session", NULL, NULL,
    SIGN_IN ("\"clerk\"", "\"supervisor\"", "\"" DEVICE "\""), UNAUTH },
  { "forged", "POST", "/session", NULL, NULL,
    SIGN_IN ("\"nobody\"", "\"nobody\"", "\"" DEVICE "\""), UNAUTH },
  { "forged", "POST", "/session", NULL, NULL,
    SIGN_IN ("\"clerk' OR '1'='1\"", "\"x\"", "\"" DEVICE "\""), UNAUTH },
  { "forged", "POST", "/session", NULL, NULL, SIGN_IN ("\"CLERK\"", "\"clerk\"", "\"" DEVICE "\""),
    UNAUTH },
  { "forged", "POST", "/session", NULL, NULL,
    SIGN_IN ("\"clerk\"", "\"clerk\\u0000\"", "\"" DEVICE "\""), BAD },

  /* --- bodies that are not JSON, or not the JSON asked for ------------- */
  { "malformed", "POST", "/session", NULL, NULL, "", BAD },
  { "malformed", "POST", "/session", NULL, NULL, "{", BAD },
  { "malformed", "POST", "/session", NULL, NULL, "not json", BAD },
  { "malformed", "POST", "/session", NULL, NULL, "{\"login\":\"clerk\",}", BAD },
  { "malformed", "POST", "/session", NULL, NULL, "{'login':'clerk'}", BAD },
  { "malformed", "POST", "/session", NULL, NULL, "/* */ {}", BAD },
  { "malformed", "POST", "/session", NULL, NULL, "{} {}", BAD },
  { "malformed", "POST", "/session/refresh", NULL, NULL, "{\"refresh_token\":", BAD },
  { "malformed", "POST", "/mutations", "@clerk", NULL, "{\"device_id\":", BAD },
  { "malformed", "POST", "/mutations", "@clerk", NULL, "", BAD },
  { "malformed", "POST", "/session", NULL, NULL, "\xef\xbb\xbf{}", BAD },
  { "malformed", "POST", "/session", NULL, NULL, "{\"login\":\"cl\xc3\x28rk\"}", BAD },
  { "malformed", "POST", "/mutations", "@clerk", NULL, "{\"device_id\":\"\xff\xfe\"}", BAD },
  { "malformed", "POST", "/session", NULL, NULL, "{\"login\":\"clerk\0\"}", BAD, 18, FALSE, TRUE },
  { "malformed", "POST", "/mutations", "@clerk", NULL, BATCH ("") "\0", BAD, sizeof (BATCH ("")),
    FALSE, TRUE },
  { "mistyped", "POST", "/session", NULL, NULL, "[]", BAD },
  { "mistyped", "POST", "/session", NULL, NULL, "\"clerk\"", BAD },
  { "mistyped", "POST", "/session", NULL, NULL, "42", BAD },
  { "mistyped", "POST", "/session", NULL, NULL, "null", BAD },
  { "mistyped", "POST", "/session", NULL, NULL, "true", BAD },
  { "mistyped", "POST", "/session", NULL, NULL, SIGN_IN ("42", "\"clerk\"", "\"" DEVICE "\""),
    BAD },
  { "mistyped", "POST", "/session", NULL, NULL,
    SIGN_IN ("[\"clerk\"]", "\"clerk\"", "\"" DEVICE "\""), BAD },
  { "mistyped", "POST", "/session", NULL, NULL, SIGN_IN ("\"clerk\"", "null", "\"" DEVICE "\""),
    BAD },
  { "mistyped", "POST", "/session", NULL, NULL,
    SIGN_IN ("\"clerk\"", "{\"x\":1}", "\"" DEVICE "\""), BAD },
  /* One object per body: json-glib takes a stream of values and leaked
   * all but the last (a LeakSanitizer report at the server's exit). */
  { "malformed", "POST", "/session", NULL, NULL,
    SIGN_IN ("\"clerk\"", "\"clerk\"", "\"" DEVICE "\"") "{\"a\":1}", BAD },
  { "malformed", "POST", "/session", NULL, NULL,
    "1 " SIGN_IN ("\"clerk\"", "\"clerk\"", "\"" DEVICE "\""), BAD },
  { "malformed", "POST", "/mutations", "@clerk", NULL, "\"x\" " BATCH (""), BAD },
  { "mistyped", "POST", "/session", NULL, NULL, SIGN_IN ("\"clerk\"", "\"clerk\"", "42"), BAD },
  { "mistyped", "POST", "/session", NULL, NULL,
    SIGN_IN ("\"clerk\"", "\"clerk\"", "\"not-a-uuid\""), BAD },
  { "mistyped", "POST", "/session", NULL, NULL,
    SIGN_IN ("\"clerk\"", "\"clerk\"", "\"@ACCOUNT' --\""), BAD },
  { "mistyped", "POST", "/session", NULL, NULL, "{\"login\":\"clerk\",\"password\":\"clerk\"}",
    BAD },
  { "mistyped", "POST", "/session", NULL, NULL, "{}", BAD },
  { "mistyped", "POST", "/session/refresh", NULL, NULL,
    "{\"refresh_token\":42,\"device_id\":\"" DEVICE "\"}", BAD },
  { "mistyped", "POST", "/session/refresh", NULL, NULL,
    "{\"refresh_token\":\"@refresh\",\"device_id\":\"nope\"}", BAD },
  { "mistyped", "POST", "/session/refresh", NULL, NULL, "{\"refresh_token\":\"@refresh\"}", BAD },
  { "mistyped", "POST", "/session/refresh", NULL, NULL, "[\"@refresh\"]", BAD },
  { "mistyped", "POST", "/mutations", "@clerk", NULL, "[]", BAD },
  { "mistyped", "POST", "/mutations", "@clerk", NULL, "{}", BAD },
  { "mistyped", "POST", "/mutations", "@clerk", NULL, "{\"device_id\":\"" DEVICE "\"}", BAD },
  { "mistyped", "POST", "/mutations", "@clerk", NULL,
    "{\"device_id\":\"" DEVICE "\",\"mutations\":{}}", BAD },
  { "mistyped", "POST", "/mutations", "@clerk", NULL,
    "{\"device_id\":\"" DEVICE "\",\"mutations\":\"[]\"}", BAD },
  { "mistyped", "POST", "/mutations", "@clerk", NULL,
    "{\"device_id\":\"0F4BB1A2-6C1E-4D8E-9A53-7E2D1C0B9A88\",\"mutations\":[]}", BAD },
  { "mistyped", "POST", "/mutations", "@clerk", NULL, "{\"device_id\":42,\"mutations\":[]}", BAD },
  { "mistyped", "POST", "/mutations", "@clerk", NULL, BATCH ("42"), BAD },
  { "mistyped", "POST", "/mutations", "@clerk", NULL, BATCH ("null"), BAD },
  { "mistyped", "POST", "/mutations", "@clerk", NULL, BATCH ("{}"), BAD },
  { "mistyped", "POST", "/mutations", "@clerk", NULL, BATCH ("{\"mutation_id\":42}"), BAD },
  { "mistyped", "POST", "/mutations", "@clerk", NULL, BATCH ("{\"mutation_id\":\"m-1\"}"), BAD },
  { "mistyped", "POST", "/mutations", "@clerk", NULL, BATCH ("{\"mutation_id\":\"" MID1 "\"}, 7"),
    BAD },
  { "wrong-type", "POST", "/session", NULL, "text/plain",
    SIGN_IN ("\"clerk\"", "\"clerk\"", "\"" DEVICE "\""), MEDIA },
  { "wrong-type", "POST", "/session", NULL, "application/x-www-form-urlencoded",
    "login=clerk&password=clerk&device_id=" DEVICE, MEDIA },
  { "wrong-type", "POST", "/session/refresh", NULL, "text/plain",
    "{\"refresh_token\":\"@refresh\",\"device_id\":\"" DEVICE "\"}", MEDIA },
  { "wrong-type", "POST", "/mutations", "@clerk", "multipart/form-data; boundary=x",
    BATCH (MUTATION (MID1, "\"payments\"", "\"create\"", NEW1, A_PAYMENT ("100", "\"cash\""))),
    MEDIA },
  { "wrong-type", "POST", "/mutations", "@clerk", "application/jsonx", BATCH (""), MEDIA },

  /* --- parameters out of range ---------------------------------------------- */
  { "out-of-range", "GET", "/changes", "@clerk", NULL, NULL, BAD },
  { "out-of-range", "GET", "/changes?cursor=", "@clerk", NULL, NULL, BAD },
  { "out-of-range", "GET", "/changes?cursor=-1", "@clerk", NULL, NULL, BAD },
  { "out-of-range", "GET", "/changes?cursor=abc", "@clerk", NULL, NULL, BAD },
  { "out-of-range", "GET", "/changes?cursor=1.5", "@clerk", NULL, NULL, BAD },
  { "out-of-range", "GET", "/changes?cursor=0x10", "@clerk", NULL, NULL, BAD },
  { "out-of-range", "GET", "/changes?cursor=%201", "@clerk", NULL, NULL, BAD },
  { "out-of-range", "GET", "/changes?cursor=9223372036854775808", "@clerk", NULL, NULL, BAD },
  { "out-of-range", "GET", "/changes?cursor=99999999999999999999999999", "@clerk", NULL, NULL,
    BAD },
  { "out-of-range", "GET", "/changes?cursor=0&limit=0", "@clerk", NULL, NULL, BAD },
  { "out-of-range", "GET", "/changes?cursor=0&limit=-1", "@clerk", NULL, NULL, BAD },
  { "out-of-range", "GET", "/changes?cursor=0&limit=5001", "@clerk", NULL, NULL, BAD },
  { "out-of-range", "GET", "/changes?cursor=0&limit=4294967297", "@clerk", NULL, NULL, BAD },
  { "out-of-range", "GET", "/changes?cursor=0&limit=ten", "@clerk", NULL, NULL, BAD },
  { "out-of-range", "GET", "/changes?cursor=0&limit=", "@clerk", NULL, NULL, BAD },
  { "out-of-range", "GET", "/snapshot/accounts?limit=0", "@clerk", NULL, NULL, BAD },
  { "out-of-range", "GET", "/snapshot/accounts?limit=-5", "@clerk", NULL, NULL, BAD },
  { "out-of-range", "GET", "/snapshot/accounts?limit=5001", "@clerk", NULL, NULL, BAD },
  { "out-of-range", "GET", "/snapshot/accounts?format=tree", "@clerk", NULL, NULL, BAD },
  { "out-of-range", "GET", "/snapshot/accounts?limit=18446744073709551617", "@clerk", NULL, NULL,
    BAD },
  { "out-of-range", "GET", "/snapshot/accounts?limit=1e3", "@clerk", NULL, NULL, BAD },
  { "out-of-range", "GET", "/snapshot/accounts?limit=%FF", "@clerk", NULL, NULL, BAD },
  { "out-of-range", "GET", "/snapshot/accounts?after=%FF%FE", "@clerk", NULL, NULL, BAD },
  { "out-of-range", "GET", "/snapshot/accounts?after=%C3%28", "@clerk", NULL, NULL, BAD },
  { "out-of-range", "GET",
    "/snapshot/"
    "accounts?after=0123456789012345678901234567890123456789012345678901234567890123456789",
    "@clerk", NULL, NULL, BAD },

  /* --- what is inside a mutation --------------------------------------- */
  { "mutation", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"nothing\"", "\"create\"", NEW1, "{}")), REJECT },
  { "mutation", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"sessions\"", "\"create\"", NEW1, "{}")), REJECT },
  { "mutation", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"accounts\"", "\"create\"", NEW1, "{}")), REJECT },
  { "mutation", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"payments\"", "\"delete\"", NEW1, "{}")), REJECT },
  { "mutation", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"payments\"", "\"patch\"", NEW1, "{}")), REJECT },
  /* Staff, policy and reference data are nobody's to change through the
   * API, whatever the role. */
  { "wrong-role", "POST", "/mutations", "@supervisor", NULL,
    BATCH (MUTATION (MID1, "\"staff\"", "\"create\"", NEW1,
                     "{\"id\":" NEW1 ",\"login\":\"mallory\",\"full_name\":\"M\","
                     "\"role\":\"administrator\",\"branch_id\":null,\"active\":true}")),
    REJECT },
  { "wrong-role", "POST", "/mutations", "@admin", NULL,
    BATCH (MUTATION (MID1, "\"policy\"", "\"patch\"", NEW1, "{\"value\":{\"from\":1,\"to\":2}}")),
    REJECT },
  { "wrong-role", "POST", "/mutations", "@admin", NULL,
    BATCH (MUTATION (MID1, "\"accounts\"", "\"patch\"", "\"@ACCOUNT\"",
                     "{\"balance_kop\":{\"from\":0,\"to\":100}}")),
    REJECT },
  /* Authorship comes from the session: a clerk's token naming the
   * supervisor, or another branch, is refused (docs/security.md). */
  { "forged", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"payments\"", "\"create\"", NEW1,
                     "{\"id\":" NEW1 ",\"account_id\":\"@ACCOUNT\",\"amount_kop\":100,"
                     "\"paid_at\":\"2026-11-27T10:00:00Z\",\"method\":\"cash\","
                     "\"branch_id\":null,\"receipt\":null,\"staff_id\":\"@SUPERVISOR_ID\"}")),
    REJECT },
  { "forged", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"payments\"", "\"create\"", NEW1,
                     "{\"id\":" NEW1 ",\"account_id\":\"@ACCOUNT\",\"amount_kop\":100,"
                     "\"paid_at\":\"2026-11-27T10:00:00Z\",\"method\":\"cash\","
                     "\"branch_id\":\"5e1f0000-0000-4000-8000-0000000000bb\",\"receipt\":null,"
                     "\"staff_id\":\"@CLERK_ID\"}")),
    REJECT },
  /* Bounds are policy: the two findings, INT64_MAX kopecks and
   * 1,000,000 roubles in cash, and a negative amount. */
  { "out-of-range", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"payments\"", "\"create\"", NEW1,
                     A_PAYMENT ("9223372036854775807", "\"card\""))),
    REJECT },
  { "out-of-range", "POST", "/mutations", "@clerk", NULL,
    BATCH (
      MUTATION (MID1, "\"payments\"", "\"create\"", NEW1, A_PAYMENT ("100000000", "\"cash\""))),
    REJECT },
  { "out-of-range", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"payments\"", "\"create\"", NEW1, A_PAYMENT ("-100", "\"cash\""))),
    REJECT },
  { "wrong-role", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"credentials\"", "\"create\"", NEW1, "{}")), REJECT },
  { "wrong-role", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"staff\"", "\"patch\"", "\"@CLERK_ID\"",
                     "{\"role\":{\"from\":\"clerk\",\"to\":\"administrator\"}}")),
    REJECT },
  { "mutation", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "42", "\"create\"", NEW1, "{}")), REJECT },
  { "mutation", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"payments\"", "null", NEW1, "{}")), REJECT },
  { "mutation", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"payments\"", "\"create\"", "42", "{}")), REJECT },
  { "mutation", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"payments\"", "\"create\"", NEW1, "[]")), REJECT },
  { "mutation", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"payments\"", "\"create\"", NEW1, "\"{}\"")), REJECT },
  { "mutation", "POST", "/mutations", "@clerk", NULL,
    BATCH ("{\"mutation_id\":\"" MID1 "\",\"collection\":\"payments\",\"op\":\"create\","
           "\"key\":" NEW1 ",\"base_version\":\"1\",\"data\":" A_PAYMENT ("100", "\"cash\"") "}"),
    REJECT },
  { "mutation", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"payments\"", "\"create\"", "\"5e1f0000-0000-4000-8000-0000000000ff\"",
                     A_PAYMENT ("100", "\"cash\""))),
    REJECT },
  { "mutation", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"payments\"", "\"create\"", NEW1, "{\"id\":" NEW1 "}")), REJECT },
  { "mutation", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"payments\"", "\"create\"", NEW1,
                     "{\"id\":" NEW1 ",\"nonexistent_field\":1}")),
    REJECT },
  { "mistyped", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"payments\"", "\"create\"", NEW1, A_PAYMENT ("\"100\"", "\"cash\""))),
    REJECT },
  { "mistyped", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"payments\"", "\"create\"", NEW1, A_PAYMENT ("100.5", "\"cash\""))),
    REJECT },
  { "mistyped", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"payments\"", "\"create\"", NEW1, A_PAYMENT ("true", "\"cash\""))),
    REJECT },
  { "mistyped", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"payments\"", "\"create\"", NEW1, A_PAYMENT ("100", "\"gold\""))),
    REJECT },
  { "mistyped", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"payments\"", "\"create\"", NEW1, A_PAYMENT ("100", "7"))), REJECT },
  { "mistyped", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"payments\"", "\"create\"", "\"not-a-uuid\"",
                     PAYMENT ("\"not-a-uuid\"", "\"@ACCOUNT\"", "100", "\"cash\""))),
    REJECT },
  { "mistyped", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"payments\"", "\"create\"", NEW1,
                     PAYMENT (NEW1, "\"account-1\"", "100", "\"cash\""))),
    REJECT },
  { "mistyped", "POST", "/mutations", "@clerk", NULL,
    BATCH (
      MUTATION (MID1, "\"payments\"", "\"create\"", NEW1,
                PAYMENT (NEW1, "\"5e1f0000-0000-4000-8000-0000000000ee\"", "100", "\"cash\""))),
    REJECT },
  { "mistyped", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"payments\"", "\"create\"", NEW1,
                     PAYMENT (NEW1, "\"@ACCOUNT\\u0000\"", "100", "\"cash\""))),
    BAD },
  { "out-of-range", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"payments\"", "\"create\"", NEW1, A_PAYMENT ("0", "\"cash\""))),
    REJECT },
  { "out-of-range", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"payments\"", "\"create\"", NEW1, A_PAYMENT ("-100", "\"cash\""))),
    REJECT },
  { "out-of-range", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"payments\"", "\"create\"", NEW1,
                     A_PAYMENT ("-9223372036854775808", "\"cash\""))),
    REJECT },
  { "out-of-range", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"payments\"", "\"create\"", NEW1,
                     A_PAYMENT ("99999999999999999999999", "\"cash\""))),
    REJECT },
  { "out-of-range", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"payments\"", "\"create\"", NEW1, A_PAYMENT ("1e400", "\"cash\""))),
    REJECT },
  { "mutation", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"appeals\"", "\"patch\"", "\"@APPEAL\"",
                     "{\"no_such_field\":{\"from\":null,\"to\":1}}")),
    REJECT },
  { "mutation", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"appeals\"", "\"patch\"", "\"@APPEAL\"",
                     "{\"number\":{\"from\":null,\"to\":\"X-1\"}}")),
    REJECT },
  { "mutation", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"appeals\"", "\"patch\"", "\"@APPEAL\"", "{}")), REJECT },
  { "mutation", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"appeals\"", "\"patch\"", "\"@APPEAL\"", "{\"subject\":\"x\"}")),
    REJECT },
  { "mutation", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"appeals\"", "\"patch\"", "\"@APPEAL\"",
                     "{\"subject\":{\"from\":null,\"to\":42}}")),
    REJECT },
  { "mutation", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"appeals\"", "\"patch\"", "\"@APPEAL\"",
                     "{\"assignee_id\":{\"from\":null,\"to\":\"5e1f0000-0000-4000-8000-"
                     "0000000000ee\"}}")),
    REJECT },
  { "mutation", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"appeals\"", "\"patch\"", "\"5e1f0000-0000-4000-8000-0000000000ee\"",
                     "{\"subject\":{\"from\":null,\"to\":\"x\"}}")),
    REJECT },
  { "mutation", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"appeals\"", "\"resolve\"", "\"@APPEAL\"",
                     "{\"conflict_id\":\"5e1f0000-0000-4000-8000-0000000000ee\","
                     "\"field\":\"subject\",\"from\":\"a\",\"to\":\"b\"}")),
    REJECT },
  { "mutation", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"appeals\"", "\"resolve\"", "\"@APPEAL\"", "{}")), REJECT },
  { "mutation", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"readings\"", "\"create\"", NEW1, "{\"id\":" NEW1 ",\"t1\":-1}")),
    REJECT },
  /* A registration is refused with a reason for each rule it breaks
   * (docs/appeals.md, "Registration"): created in another status, with
   * neither account nor applicant, a number that is none, of another
   * branch or another desk, registered by someone else. */
  { "register", "POST", "/mutations", "@clerk", NULL,
    APPEAL_CREATE (APPEAL (GOOD_NUMBER, "\"assigned\"", "\"@ACCOUNT\"", "null", "null")), REJECT },
  { "register", "POST", "/mutations", "@clerk", NULL,
    APPEAL_CREATE (APPEAL (GOOD_NUMBER, "\"registered\"", "null", "null", "null")), REJECT },
  { "register", "POST", "/mutations", "@clerk", NULL,
    APPEAL_CREATE (APPEAL (GOOD_NUMBER, "\"registered\"", "null", "\"  \"", "null")), REJECT },
  { "register", "POST", "/mutations", "@clerk", NULL,
    APPEAL_CREATE (APPEAL ("\"2026/000001\"", "\"registered\"", "\"@ACCOUNT\"", "null", "null")),
    REJECT },
  { "register", "POST", "/mutations", "@clerk", NULL,
    APPEAL_CREATE (
      APPEAL ("\"ЦОК-02-01-26-00001\"", "\"registered\"", "\"@ACCOUNT\"", "null", "null")),
    REJECT },
  { "register", "POST", "/mutations", "@clerk", NULL,
    APPEAL_CREATE (
      APPEAL ("\"ЦОК-01-99-26-00001\"", "\"registered\"", "\"@ACCOUNT\"", "null", "null")),
    REJECT },
  { "register", "POST", "/mutations", "@clerk", NULL,
    APPEAL_CREATE (
      APPEAL (GOOD_NUMBER, "\"registered\"", "\"@ACCOUNT\"", "null", "\"@SUPERVISOR_ID\"")),
    REJECT },
  /* An attached document must say what it is and have 1 to 9999 pages
   * (okno_appeal_document_check), as the desktop's form and store ask. */
  { "register", "POST", "/mutations", "@clerk", NULL, DOCUMENT ("\"   \"", "2"), REJECT },
  { "register", "POST", "/mutations", "@clerk", NULL, DOCUMENT ("\"Заявление\"", "0"), REJECT },
  { "register", "POST", "/mutations", "@clerk", NULL, DOCUMENT ("\"Заявление\"", "10000"), REJECT },
  /* The same mutation id twice in one batch, both refused: neither leaves
   * anything behind, so each is judged on its own. */
  { "duplicate", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"payments\"", "\"create\"", NEW1, A_PAYMENT ("0", "\"cash\"")) "," //
           MUTATION (MID1, "\"payments\"", "\"create\"", NEW1, A_PAYMENT ("-1", "\"cash\""))),
    REJECT },
  { "duplicate", "POST", "/mutations", "@clerk", NULL,
    BATCH (MUTATION (MID1, "\"nothing\"", "\"create\"", NEW1, "{}") "," //
           MUTATION (MID1, "\"nothing\"", "\"create\"", NEW1, "{}") "," //
           MUTATION (MID2, "\"payments\"", "\"create\"", NEW1, "{}")),
    REJECT },
  { "duplicate", "POST", "/mutations", "@clerk", NULL,
    "{\"device_id\":\"" DEVICE "\",\"device_id\":42,\"mutations\":[]}", BAD },
};

/* --- the dataset's tokens and records ---------------------------------------- */

static CentralProcess *central;
static SoupSession *session;
static GHashTable *values; /* placeholder → what it stands for */

/* Placeholders, longest first so that none is the start of another:
 * @clerk @supervisor @admin @expired @signed-out @tampered (a whole
 * Authorization header), @token (the clerk's bare access token), @refresh
 * (the clerk's refresh token), @CLERK_ID @SUPERVISOR_ID @ACCOUNT @APPEAL. */
static char *
expand (const char *text)
{
  static const char *const names[]
    = { "@signed-out", "@supervisor", "@SUPERVISOR_ID", "@CLERK_ID", "@tampered", "@expired",
        "@ACCOUNT",    "@refresh",    "@APPEAL",        "@admin",    "@clerk",    "@token" };
  GString *out;

  if (text == NULL)
    return NULL;
  out = g_string_new (text);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_string_replace (out, names[i], g_hash_table_lookup (values, names[i]), 0);
  return g_string_free (out, FALSE);
}

static void
sign_in_as (const char *name, const char *login, const char *device)
{
  g_autoptr (TestAnswer) answer
    = test_http_sign_in (session, central->base_url, login, login, device);
  JsonObject *body = test_answer_object (answer);
  JsonObject *staff = json_object_get_object_member (body, "staff");
  g_autofree char *id = g_strdup_printf ("@%s_ID", login);

  g_hash_table_insert (values, g_strdup (name), test_answer_bearer (answer));
  g_hash_table_insert (values, g_ascii_strup (id, -1),
                       g_strdup (json_object_get_string_member (staff, "id")));
  if (strcmp (name, "@clerk") == 0)
    {
      const char *token = json_object_get_string_member (body, "access_token");
      g_autofree char *tampered = g_strdup (token);

      tampered[strlen (tampered) - 1] = tampered[strlen (tampered) - 1] == 'A' ? 'B' : 'A';
      g_hash_table_insert (values, g_strdup ("@token"), g_strdup (token));
      g_hash_table_insert (values, g_strdup ("@tampered"), g_strconcat ("Bearer ", tampered, NULL));
      g_hash_table_insert (values, g_strdup ("@refresh"),
                           g_strdup (json_object_get_string_member (body, "refresh_token")));
    }
}

/* A session the server ended (DELETE /session). */
static void
sign_out_one (void)
{
  g_autoptr (TestAnswer) answer = NULL;

  sign_in_as ("@signed-out", "clerk2", DEVICE_OUT);
  answer = test_http_request (session, central->base_url, "DELETE", "/session",
                              g_hash_table_lookup (values, "@signed-out"), NULL);
  g_assert_cmpuint (answer->status, ==, SOUP_STATUS_NO_CONTENT);
}

/* A session whose time ran out: its expiry moved into the past behind the
 * server's back (the token's lifetime is minutes; no test waits that). */
static void
expire_one (void)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  sign_in_as ("@expired", "office", DEVICE_EXPIRED);
  g_assert_cmpint (sqlite3_open_v2 (central->db, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  if (sqlite3_exec (db, "UPDATE sessions SET expires_at = 1 WHERE device_id = '" DEVICE_EXPIRED "'",
                    NULL, NULL, &message)
      != SQLITE_OK)
    g_error ("expiring a session: %s", message);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_close (db);
}

static void
find_records (void)
{
  g_hash_table_insert (values, g_strdup ("@ACCOUNT"),
                       test_db_text (central->db, "SELECT min(id) FROM accounts", NULL));
  g_hash_table_insert (
    values, g_strdup ("@APPEAL"),
    test_db_text (central->db, "SELECT min(id) FROM appeals WHERE status != 'closed'", NULL));
  g_assert_nonnull (g_hash_table_lookup (values, "@ACCOUNT"));
  g_assert_nonnull (g_hash_table_lookup (values, "@APPEAL"));
}

/* --- the database, before and after -------------------------------------------------- */

/* Every table's rows and the integrity check, as one text to compare. */
static char *
database_state (void)
{
  GString *state = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autoptr (GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *check = test_db_text (central->db, "PRAGMA integrity_check", NULL);

  g_assert_cmpint (sqlite3_open_v2 (central->db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT name FROM sqlite_master WHERE type = 'table'"
                                       " AND name NOT LIKE 'sqlite_%' ORDER BY name",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (tables, g_strdup ((const char *)sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_cmpuint (tables->len, >, 10);
  g_assert_cmpstr (check, ==, "ok");
  for (guint i = 0; i < tables->len; i++)
    g_string_append_printf (state, "%s %" G_GINT64_FORMAT "\n", (char *)tables->pdata[i],
                            test_db_count_rows (central->db, tables->pdata[i]));
  return g_string_free (state, FALSE);
}

/* --- one case -------------------------------------------------------------------------- */

static GHashTable *kinds; /* kind → count */
static guint failures;    /* every case is run; the test fails at the end */

static void fail (const char *format, ...) G_GNUC_PRINTF (1, 2);

static void
fail (const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_vfprintf (stderr, format, args);
  va_end (args);
  g_printerr ("\n");
  failures++;
}

static void
count_kind (const char *kind)
{
  g_hash_table_insert (kinds, (gpointer)kind,
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (kinds, kind)) + 1));
}

static gboolean
has_text (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_STRING && *json_node_get_string (node);
}

static void
assert_reason (JsonObject *object, const char *what)
{
  if (!has_text (object, "error") || !has_text (object, "message"))
    fail ("%s: no reason (\"error\" and \"message\")", what);
}

static void
check_answer (const SweepCase *c, TestAnswer *answer, const char *what)
{
  JsonArray *results;

  if (answer->error != NULL)
    {
      fail ("%s: no answer: %s", what, answer->error->message);
      return;
    }
  if (answer->status >= 500 || answer->status < c->min || answer->status > c->max)
    {
      fail ("%s: answered %u, not %u-%u: %.*s", what, answer->status, c->min, c->max,
            (int)g_bytes_get_size (answer->body),
            (const char *)g_bytes_get_data (answer->body, NULL));
      return;
    }
  if (c->expect == EXPECT_LIBSOUP)
    return;
  if (answer->root == NULL || !JSON_NODE_HOLDS_OBJECT (answer->root))
    {
      fail ("%s: the answer is not a JSON object", what);
      return;
    }
  if (c->expect == EXPECT_4XX)
    {
      assert_reason (json_node_get_object (answer->root), what);
      return;
    }
  results = json_object_get_array_member (json_node_get_object (answer->root), "results");
  for (guint i = 0; results != NULL && i < json_array_get_length (results); i++)
    {
      JsonObject *result = json_array_get_object_element (results, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (result, "status", NULL),
                     "rejected")
          != 0)
        fail ("%s: mutation %u was not rejected: %s", what, i,
              json_object_get_string_member_with_default (result, "status", "?"));
      else
        assert_reason (result, what);
    }
  if (results == NULL || json_array_get_length (results) == 0)
    fail ("%s: no results", what);
}

static GInputStream *
chunked_stream (GBytes *bytes)
{
  return g_memory_input_stream_new_from_bytes (bytes);
}

static void
run_case (const SweepCase *c, GBytes *made)
{
  g_autofree char *path = expand (c->path);
  g_autofree char *auth = expand (c->auth);
  g_autofree char *body = expand (c->body);
  g_autofree char *what
    = g_strdup_printf ("%s %s %s %s", c->kind, c->method, c->path, c->body ? c->body : "");
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (TestAnswer) answer = NULL;
  SoupMessage *msg = test_http_message (central->base_url, c->method, path, auth, NULL, 0);
  const char *type = c->content_type ? c->content_type : "application/json";

  if (made != NULL)
    bytes = g_bytes_ref (made);
  else if (body != NULL && c->keep_length)
    bytes = g_bytes_new (c->body, c->body_length);
  else if (body != NULL)
    {
      gsize length = strlen (body);

      bytes = g_bytes_new_take (g_steal_pointer (&body), length);
    }
  if (bytes != NULL && c->chunked)
    {
      g_autoptr (GInputStream) stream = chunked_stream (bytes);

      soup_message_set_request_body (msg, type, stream, -1);
    }
  else if (bytes != NULL)
    soup_message_set_request_body_from_bytes (msg, type, bytes);
  answer = test_http_send (session, msg);
  check_answer (c, answer, what);
  count_kind (c->kind);
}

/* --- bodies that are made ---------------------------------------------------------- */

static GBytes *
repeated (const char *head, const char *unit, gsize length, const char *tail)
{
  GString *text = g_string_new (head);

  while (text->len + strlen (tail) < length)
    g_string_append (text, unit);
  g_string_append (text, tail);
  return g_string_free_to_bytes (text);
}

/* A batch of n payments that would each be refused (amount 0). */
static GBytes *
many_mutations (guint n)
{
  GString *text = g_string_new ("{\"device_id\":\"" DEVICE "\",\"mutations\":[");
  g_autofree char *payment = expand (A_PAYMENT ("0", "\"cash\""));

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text,
                            "%s{\"mutation_id\":\"5e1f0000-0000-4000-8000-%012u\","
                            "\"collection\":\"payments\",\"op\":\"create\",\"key\":" NEW1
                            ",\"data\":%s}",
                            i ? "," : "", i, payment);
  g_string_append (text, "]}");
  return g_string_free_to_bytes (text);
}

typedef struct
{
  SweepCase c;
  GBytes *body;
} MadeCase;

static void
made (GArray *list, const char *kind, const char *path, const char *auth, GBytes *body,
      gboolean chunked, Expect expect, guint min, guint max)
{
  MadeCase m
    = { { kind, "POST", path, auth, NULL, NULL, expect, min, max, 0, chunked, FALSE }, body };

  g_array_append_val (list, m);
}

/* The limits: 64 KiB for a body but a batch's 1 MiB and 100 mutations. */
static GArray *
made_cases (void)
{
  GArray *list = g_array_new (FALSE, FALSE, sizeof (MadeCase));
  const char *paths[] = { "/session", "/session/refresh" };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    for (guint chunked = 0; chunked < 2; chunked++)
      {
        made (list, "oversized", paths[i], NULL,
              repeated ("{\"login\":\"", "a", 64 * 1024 + 1, "\"}"), chunked, LARGE);
        made (list, "nested", paths[i], NULL, repeated ("", "[", 64 * 1000, ""), chunked, BAD);
        made (list, "nested", paths[i], NULL, repeated ("", "{\"a\":", 1000, "1"), chunked, BAD);
      }
  for (guint chunked = 0; chunked < 2; chunked++)
    {
      made (list, "oversized", "/mutations", "@clerk",
            repeated ("{\"device_id\":\"" DEVICE "\",\"pad\":\"", "x", 1024 * 1024 + 1, "\"}"),
            chunked, LARGE);
      made (list, "oversized", "/mutations", "@clerk", many_mutations (101), chunked, LARGE);
      made (list, "nested", "/mutations", "@clerk",
            repeated ("{\"device_id\":\"" DEVICE "\",\"mutations\":", "[", 1000 * 1000, ""),
            chunked, BAD);
      made (list, "nested", "/mutations", "@clerk",
            repeated ("{\"device_id\":\"" DEVICE "\",\"mutations\":[", "[", 40, ""), chunked, BAD);
    }
  made (list, "oversized", "/mutations", NULL, many_mutations (101), FALSE, EXPECT_4XX, 401, 413);
  made (list, "oversized", "/snapshot", "@clerk", repeated ("", " ", 64 * 1024 + 1, "{}"), FALSE,
        LARGE);
  made (list, "oversized", "/_faults", NULL, repeated ("", " ", 64 * 1024 + 1, "{}"), TRUE, LARGE);
  /* 100 refusals are an answer, not a failure. */
  made (list, "mutation", "/mutations", "@clerk", many_mutations (100), FALSE, REJECT);
  return list;
}

/* --- the test ------------------------------------------------------------------------------ */

static int
compare_names (const void *a, const void *b)
{
  return strcmp (*(const char *const *)a, *(const char *const *)b);
}

static void
test_sweep (void)
{
  g_autofree char *before = database_state ();
  g_autofree char *after = NULL;
  g_autoptr (GArray) extra = made_cases ();
  g_autoptr (TestAnswer) health = NULL;
  g_autofree const char **names = NULL;
  guint total = 0;

  kinds = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    run_case (&cases[i], NULL);
  for (guint i = 0; i < extra->len; i++)
    {
      MadeCase *m = &g_array_index (extra, MadeCase, i);

      run_case (&m->c, m->body);
      g_bytes_unref (m->body);
    }
  health = test_http_request (session, central->base_url, "GET", "/health", NULL, NULL);
  g_assert_cmpuint (health->status, ==, SOUP_STATUS_OK);
  after = database_state ();
  g_assert_cmpuint (failures, ==, 0);
  g_assert_cmpstr (after, ==, before);

  names = (const char **)g_hash_table_get_keys_as_array (kinds, NULL);
  qsort (names, g_hash_table_size (kinds), sizeof *names, compare_names);
  for (guint i = 0; names[i] != NULL; i++)
    {
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (kinds, names[i]));

      g_test_message ("%-13s %u cases", names[i], count);
      total += count;
    }
  g_test_message ("the sweep: %u cases", total);
  g_assert_cmpuint (total, ==, G_N_ELEMENTS (cases) + extra->len);
  g_hash_table_unref (kinds);
}

int
main (int argc, char **argv)
{
  const char *extra[]
    = { "--generate", "--accounts", "200", "--seed", "7", "--today", "2026-11-27", NULL };
  g_autofree char *dir = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  central = central_spawn_in_tmp ("okno-central-sweep-XXXXXX", extra, &dir);
  /* Loopback only: no proxy lookups. */
  session = soup_session_new_with_options ("proxy-resolver", NULL, "timeout", 60, NULL);
  values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sign_in_as ("@clerk", "clerk", DEVICE);
  sign_in_as ("@supervisor", "supervisor", DEVICE);
  sign_in_as ("@admin", "admin", DEVICE);
  sign_out_one ();
  expire_one ();
  find_records ();

  g_test_add_func ("/sweep/bad-requests", test_sweep);
  status = g_test_run ();

  g_object_unref (session);
  g_hash_table_unref (values);
  central_finish (central);
  return status;
}
