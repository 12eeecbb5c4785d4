/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* One topic an appeal can be classified under, as the register form lists
 * them: its id and its title. Topics are synced data (issue 10, item 1):
 * the page that shows the form feeds it a GListModel of these made from
 * the replica's topics collection once the store reads it; until then a
 * caller may give any list, or none. */
#define OKNO_TYPE_TOPIC_ITEM (okno_topic_item_get_type ())
G_DECLARE_FINAL_TYPE (OknoTopicItem, okno_topic_item, OKNO, TOPIC_ITEM, GObject)

OknoTopicItem *okno_topic_item_new (const char *id, const char *title);
const char *okno_topic_item_get_id (OknoTopicItem *self);
const char *okno_topic_item_get_title (OknoTopicItem *self);

G_END_DECLS
