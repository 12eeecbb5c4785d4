/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

/* The settings schema keeps this id in every build profile: a development
 * build (ru.eens.Okno.Devel) reads the same keys. */
#define OKNO_SETTINGS_SCHEMA "ru.eens.Okno"

/* Where the templates, style sheets and the shortcuts window live; set
 * explicitly because the Devel app id would otherwise move it. */
#define OKNO_RESOURCE_BASE "/ru/eens/Okno"
