#include "okno-core-error.h"

G_DEFINE_QUARK (okno - core - error - quark, okno_core_error)
