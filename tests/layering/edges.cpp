// Scratch file for the test core_module_edges_enforced (tests/layering.cmake).
// Compiled as part of a target that links only paritydeck_core_services: what services
// declares is reachable, and with PD_LAYERING_FORBIDDEN defined it includes a header of a
// module services does not link (environment, which links services). That must not build.
#include "services/servicecontroller.h"
#include "workspace/workspace.h" // services links workspace PUBLIC

#ifdef PD_LAYERING_FORBIDDEN
#include "environment/environmentstatus.h"
#endif

int pdLayeringEdgesScratch()
{
    return 0;
}
