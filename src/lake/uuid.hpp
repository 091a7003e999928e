#pragma once
// Random (version 4) UUIDs: table ids and unique data file names, which Delta requires never to repeat.

#include <string>

namespace ampere::lake {

/// A new random UUID, "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".
std::string new_uuid();

}  // namespace ampere::lake
