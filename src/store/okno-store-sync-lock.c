/* SPDX-License-Identifier: GPL-3.0-or-later */

/* One sync at a time per replica, across processes. */

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <unistd.h>

#include "okno-store-private.h"

int
okno_store_lock_sync (OknoStore *self, GError **error)
{
  g_autofree char *path = g_strconcat (self->path, ".lock", NULL);
  int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _ ("Could not open “%s”: %s"),
                   path, g_strerror (saved));
      return -1;
    }
  /* flock is released by the kernel when the process dies, so a killed
   * sync never leaves the replica locked. */
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      close (fd);
      g_set_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_BUSY,
                   _ ("Another synchronisation of this database is running"));
      return -1;
    }
  return fd;
}

void
okno_store_unlock_sync (int handle)
{
  if (handle >= 0)
    close (handle);
}
