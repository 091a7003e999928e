#include "simulator/hostile_strings.hpp"

#include <array>

namespace ampere::simulator {

std::span<const std::string> hostile_strings() {
  static const std::array<std::string, 10> strings = {
      "<script>window.__pwned=1</script>",
      "<img src=x onerror=\"window.__pwned=1\">",
      "\"><svg onload=\"window.__pwned=1\">",
      "[click me](javascript:window.__pwned=1)",
      "![tracker](https://tracker.invalid/pixel.gif?id=1)",
      std::string(300, 'W') + " very long",
      "\u202e"
      "evil right-to-left \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627",
      "<a href=\"javascript:window.__pwned=1\">link</a>",
      "<iframe src=\"javascript:window.__pwned=1\"></iframe>",
      "{{org}} ${window.__pwned=1} %s %n",
  };
  return strings;
}

}  // namespace ampere::simulator
