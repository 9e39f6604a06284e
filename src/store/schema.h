// The store's schema as numbered migrations, applied in order at open.
#pragma once

#include "store/db.h"

namespace tandem::store {

// Applies every migration newer than the store's schema version, each in its own
// transaction. Fails with kFailedPrecondition if the store is newer than this program.
Status Migrate(sql::Db& db);
int LatestSchemaVersion();

}  // namespace tandem::store
