/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Salted, slow password verifiers (yescrypt through libxcrypt): the staff
 * credentials okno-central keeps, and the offline sign-in check of a desktop. */

#include "okno-password-verifier.h"

#include <crypt.h>
#include <errno.h>
#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#define PREFIX "$y$"

/* crypt_ra's scratch memory holds the password's state: wipe it. */
static void
free_crypt_data (void *data, int size)
{
  if (data != NULL)
    explicit_bzero (data, (gsize)size);
  free (data);
}

char *
okno_password_verifier_new (const char *password, GError **error)
{
  void *data = NULL;
  int size = 0;
  char *setting;
  const char *hash;
  char *verifier = NULL;

  g_return_val_if_fail (password != NULL, NULL);

  /* Count 0 is libxcrypt's default cost; NULL random bytes make it read
   * the salt from the kernel. */
  setting = crypt_gensalt_ra (PREFIX, 0, NULL, 0);
  if (setting == NULL)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _ ("Could not make a password salt: %s"), g_strerror (saved));
      return NULL;
    }
  hash = crypt_ra (password, setting, &data, &size);
  if (hash == NULL || hash[0] == '*' || !g_str_has_prefix (hash, PREFIX))
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                         _ ("Could not make the offline sign-in check for this password"));
  else
    verifier = g_strdup (hash);
  free_crypt_data (data, size);
  free (setting);
  return verifier;
}

/* Every byte of a is looked at, whatever b holds and wherever they differ. */
static gboolean
equal_in_constant_time (const char *a, const char *b)
{
  gsize la = strlen (a);
  gsize lb = strlen (b);
  guchar diff = la != lb;

  for (gsize i = 0; i < la; i++)
    diff |= (guchar)a[i] ^ (guchar)(lb ? b[i % lb] : 0);
  return diff == 0 && la > 0;
}

gboolean
okno_password_verifier_check (const char *verifier, const char *password)
{
  void *data = NULL;
  int size = 0;
  const char *computed;
  gboolean ok;

  g_return_val_if_fail (password != NULL, FALSE);

  /* Only what okno_password_verifier_new makes: never an old DES or MD5
   * string that someone slipped into the replica. */
  if (verifier == NULL || !g_str_has_prefix (verifier, PREFIX))
    return FALSE;
  computed = crypt_ra (password, verifier, &data, &size);
  ok = computed != NULL && computed[0] != '*' && equal_in_constant_time (computed, verifier);
  free_crypt_data (data, size);
  return ok;
}

/* --- in a worker thread --------------------------------------------------- */

typedef struct
{
  char *verifier;
  char *password;
} Job;

static void
job_free (gpointer data)
{
  Job *job = data;

  g_free (job->verifier);
  if (job->password != NULL)
    explicit_bzero (job->password, strlen (job->password));
  g_free (job->password);
  g_free (job);
}

static GTask *
new_task (gpointer source_tag, const char *verifier, const char *password,
          GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);

  job->verifier = g_strdup (verifier);
  job->password = g_strdup (password);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, job_free);
  return task;
}

static void
new_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  char *verifier = okno_password_verifier_new (job->password, &error);

  if (verifier == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, verifier, g_free);
}

void
okno_password_verifier_new_async (const char *password, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (password != NULL);

  task
    = new_task (okno_password_verifier_new_async, NULL, password, cancellable, callback, user_data);
  g_task_run_in_thread (task, new_thread);
}

char *
okno_password_verifier_new_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
check_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Job *job = task_data;

  g_task_return_boolean (task, okno_password_verifier_check (job->verifier, job->password));
}

void
okno_password_verifier_check_async (const char *verifier, const char *password,
                                    GCancellable *cancellable, GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (password != NULL);

  task = new_task (okno_password_verifier_check_async, verifier, password, cancellable, callback,
                   user_data);
  g_task_run_in_thread (task, check_thread);
}

gboolean
okno_password_verifier_check_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
