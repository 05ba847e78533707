// The engine's own files include the public header of the same name (app/ and tools/ use it).
#pragma once

#include "xbase/path_text.h"
