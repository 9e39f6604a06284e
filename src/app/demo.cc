#include "app/demo.h"

namespace tandem::app {

Result<DemoSummary> LoadDemo(store::Store&, const DemoOptions&) {
  return FailedPrecondition("the demo generator is not built yet");
}

}  // namespace tandem::app
