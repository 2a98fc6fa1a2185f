#pragma once
// Reading numbers from JSON that someone else wrote (snapshots, serve requests, stores): nlohmann's
// get<int>() on 5e68 or on 2^40 converts out of range, which is undefined behaviour. Integers are
// taken only when they are integers and fit.
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>

#include <nlohmann/json.hpp>

namespace triage::core {

/// `j` as T: an integral T takes only an integer that fits (a bool only true/false); anything else is
/// nlohmann's conversion. A wrong kind or range throws nlohmann's type_error, as its own checks do, so
/// every handler of malformed JSON handles it.
template <class T>
T json_value(const nlohmann::json& j) {
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    if (j.is_number_unsigned()) {
      const auto v = j.get<uint64_t>();
      if (v > static_cast<uint64_t>(std::numeric_limits<T>::max())) {
        throw nlohmann::json::type_error::create(302, std::to_string(v) + " is out of range", &j);
      }
      return static_cast<T>(v);
    }
    if (j.is_number_integer()) {
      const auto v = j.get<int64_t>();
      if ((std::is_unsigned_v<T> && v < 0) ||
          (std::is_signed_v<T> && (v < static_cast<int64_t>(std::numeric_limits<T>::min()) ||
                                   v > static_cast<int64_t>(std::numeric_limits<T>::max())))) {
        throw nlohmann::json::type_error::create(302, std::to_string(v) + " is out of range", &j);
      }
      return static_cast<T>(v);
    }
    throw nlohmann::json::type_error::create(302, std::string("type must be an integer, but is ") + j.type_name(), &j);
  } else {
    return j.get<T>();
  }
}

/// The member `key` of object `j` as T, or `fallback` when absent or null.
template <class T>
T json_member_or(const nlohmann::json& j, const char* key, T fallback) {
  const auto it = j.find(key);
  return it == j.end() || it->is_null() ? fallback : json_value<T>(*it);
}

}  // namespace triage::core
