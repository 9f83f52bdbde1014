/* No seeds: what charreq_gen links, as it writes the real ones. */
#include "charreq.h"

const char charreq_seeds_versions[] = "";
const charreq_seed charreq_seeds[1];
const size_t charreq_nseeds = 0;
