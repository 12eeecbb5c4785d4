/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "okno-account-row.h"

#include <glib/gi18n.h>

#include "okno-a11y.h"
#include "okno-labels.h"

struct _OknoAccountRow
{
  AdwBin parent_instance;
  OknoAccount *account;
  gulong notify_id; /* on account: a search result read after binding */
  GtkLabel *holder_label;
  GtkLabel *number_label;
  GtkLabel *kind_label;
  GtkLabel *address_label;
};

G_DEFINE_FINAL_TYPE (OknoAccountRow, okno_account_row, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_ACCOUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

char *
okno_account_describe_number (OknoAccount *account)
{
  const char *number = okno_account_get_number (account);

  /* A household's account number is its contract number (domain.md). */
  if (g_strcmp0 (okno_account_get_kind (account), "household") == 0)
    return g_strdup_printf (_ ("Account %s"), number);
  return g_strdup_printf (_ ("Contract %s"), number);
}

static void
show_texts (OknoAccountRow *self, const char *holder, const char *number, const char *kind,
            const char *kind_in_full, const char *address)
{
  gtk_label_set_text (self->holder_label, holder);
  gtk_label_set_text (self->number_label, number);
  gtk_label_set_text (self->kind_label, kind);
  /* A narrow list shortens the badge, never the number beside it. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->kind_label), *kind ? kind_in_full : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->kind_label), *kind != '\0');
  gtk_label_set_text (self->address_label, address);
}

/* The list's badge says the kind as staff write it for short ("ИП"); the
 * card and the tooltip say it in full. */
static const char *
kind_badge (const char *kind)
{
  if (g_strcmp0 (kind, "household") == 0)
    return C_ ("client kind, short", "Household");
  if (g_strcmp0 (kind, "legal_entity") == 0)
    return C_ ("client kind, short", "Company");
  if (g_strcmp0 (kind, "sole_trader") == 0)
    return C_ ("client kind, short", "Sole trader");
  return okno_choice_label (kind);
}

static void
update (OknoAccountRow *self)
{
  g_autofree char *number = NULL;
  g_autofree char *name = NULL;
  OknoAccount *a = self->account;

  if (a == NULL)
    {
      show_texts (self, "", "", "", "", "");
      return;
    }
  if (!okno_account_is_loaded (a))
    {
      /* Its page is being read; the row fills in when it arrives. */
      show_texts (self, _ ("Loading…"), "", "", "", "");
      okno_a11y_name_list_item (GTK_WIDGET (self), _ ("Loading…"));
      return;
    }
  number = okno_account_describe_number (a);
  show_texts (self, okno_account_get_holder (a), number, kind_badge (okno_account_get_kind (a)),
              okno_choice_label (okno_account_get_kind (a)), okno_account_get_address (a));
  name = g_strdup_printf ("%s, %s, %s", okno_account_get_holder (a), number,
                          okno_account_get_address (a));
  okno_a11y_name_list_item (GTK_WIDGET (self), name);
}

static void
account_notify_cb (OknoAccountRow *self, GParamSpec *pspec, OknoAccount *account)
{
  update (self);
}

static void
okno_account_row_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (okno_account_row_parent_class)->root (widget);
  /* The list item may be set before the row has a parent to name. */
  update (OKNO_ACCOUNT_ROW (widget));
}

static void
okno_account_row_dispose (GObject *object)
{
  OknoAccountRow *self = OKNO_ACCOUNT_ROW (object);

  g_clear_signal_handler (&self->notify_id, self->account);
  g_clear_object (&self->account);
  gtk_widget_dispose_template (GTK_WIDGET (self), OKNO_TYPE_ACCOUNT_ROW);
  G_OBJECT_CLASS (okno_account_row_parent_class)->dispose (object);
}

static void
okno_account_row_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  OknoAccountRow *self = OKNO_ACCOUNT_ROW (object);

  switch (prop_id)
    {
      case PROP_ACCOUNT:
        g_value_set_object (value, self->account);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
okno_account_row_set_property (GObject *object, guint prop_id, const GValue *value,
                               GParamSpec *pspec)
{
  OknoAccountRow *self = OKNO_ACCOUNT_ROW (object);

  switch (prop_id)
    {
      case PROP_ACCOUNT:
        okno_account_row_set_account (self, g_value_get_object (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
okno_account_row_class_init (OknoAccountRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = okno_account_row_dispose;
  object_class->get_property = okno_account_row_get_property;
  object_class->set_property = okno_account_row_set_property;
  widget_class->root = okno_account_row_root;

  properties[PROP_ACCOUNT]
    = g_param_spec_object ("account", NULL, NULL, OKNO_TYPE_ACCOUNT,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/ru/eens/Okno/okno-account-row.ui");
  gtk_widget_class_bind_template_child (widget_class, OknoAccountRow, holder_label);
  gtk_widget_class_bind_template_child (widget_class, OknoAccountRow, number_label);
  gtk_widget_class_bind_template_child (widget_class, OknoAccountRow, kind_label);
  gtk_widget_class_bind_template_child (widget_class, OknoAccountRow, address_label);
}

static void
okno_account_row_init (OknoAccountRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
okno_account_row_new (void)
{
  return g_object_new (OKNO_TYPE_ACCOUNT_ROW, NULL);
}

OknoAccount *
okno_account_row_get_account (OknoAccountRow *self)
{
  g_return_val_if_fail (OKNO_IS_ACCOUNT_ROW (self), NULL);
  return self->account;
}

void
okno_account_row_set_account (OknoAccountRow *self, OknoAccount *account)
{
  g_return_if_fail (OKNO_IS_ACCOUNT_ROW (self));

  if (self->account == account)
    return;
  g_clear_signal_handler (&self->notify_id, self->account);
  g_set_object (&self->account, account);
  if (account != NULL)
    self->notify_id = g_signal_connect_object (account, "notify", G_CALLBACK (account_notify_cb),
                                               self, G_CONNECT_SWAPPED);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
}
