/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "okno-topic-item.h"

struct _OknoTopicItem
{
  GObject parent_instance;
  char *id;
  char *title;
};

G_DEFINE_FINAL_TYPE (OknoTopicItem, okno_topic_item, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
okno_topic_item_finalize (GObject *object)
{
  OknoTopicItem *self = OKNO_TOPIC_ITEM (object);

  g_free (self->id);
  g_free (self->title);
  G_OBJECT_CLASS (okno_topic_item_parent_class)->finalize (object);
}

static void
okno_topic_item_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  OknoTopicItem *self = OKNO_TOPIC_ITEM (object);

  switch (prop_id)
    {
      case PROP_ID:
        g_value_set_string (value, self->id);
        break;
      case PROP_TITLE:
        g_value_set_string (value, self->title);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
okno_topic_item_set_property (GObject *object, guint prop_id, const GValue *value,
                              GParamSpec *pspec)
{
  OknoTopicItem *self = OKNO_TOPIC_ITEM (object);

  switch (prop_id)
    {
      case PROP_ID:
        self->id = g_value_dup_string (value);
        break;
      case PROP_TITLE:
        self->title = g_value_dup_string (value);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
okno_topic_item_class_init (OknoTopicItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = okno_topic_item_finalize;
  object_class->get_property = okno_topic_item_get_property;
  object_class->set_property = okno_topic_item_set_property;

  /* The topic's id in the topics collection; NULL for "no topic yet". */
  properties[PROP_ID] = g_param_spec_string (
    "id", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Its title, as the clerk reads it in the list. */
  properties[PROP_TITLE] = g_param_spec_string (
    "title", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
okno_topic_item_init (OknoTopicItem *self)
{
}

OknoTopicItem *
okno_topic_item_new (const char *id, const char *title)
{
  return g_object_new (OKNO_TYPE_TOPIC_ITEM, "id", id, "title", title, NULL);
}

const char *
okno_topic_item_get_id (OknoTopicItem *self)
{
  g_return_val_if_fail (OKNO_IS_TOPIC_ITEM (self), NULL);
  return self->id;
}

const char *
okno_topic_item_get_title (OknoTopicItem *self)
{
  g_return_val_if_fail (OKNO_IS_TOPIC_ITEM (self), NULL);
  return self->title;
}
