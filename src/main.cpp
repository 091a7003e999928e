#include "cli/cli.hpp"

int main(int argc, char** argv) {
  return ampere::cli::run(argc, argv);
}
