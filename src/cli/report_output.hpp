#pragma once
// How the reports print: --format table|json|csv. Tables are sized to the terminal, coloured only on a
// TTY (and never with NO_COLOR set); time series get a small chart (sparkline or bars).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/report_source.hpp"

namespace ampere::cli {

/// The options every report takes.
struct ReportOptions {
  std::string format = "table";  ///< table, json or csv
  std::string server;            ///< --server URL
  std::string data_dir;          ///< --data-dir
};

/// Declares --format, --server and --data-dir on a report's subcommand.
void add_report_options(CLI::App& app, ReportOptions& options);

/// False (after printing the valid choices) when --format is not table, json or csv.
bool check_report_options(const ReportOptions& options);

/// A column of a printed table.
struct TableColumn {
  std::string title;
  bool right_aligned = false;  ///< numbers
  bool shrinkable = false;     ///< may be cut (with "…") to fit the terminal
};

/// A table to print: columns, rows of cells, an optional title and total row.
struct TextTable {
  std::string title;
  std::vector<TableColumn> columns;
  std::vector<std::vector<std::string>> rows;
  std::vector<size_t> bold_rows;  ///< subtotals and totals
};

/// Terminal width: the TTY's, else $COLUMNS, else 100.
int terminal_width();

/// True when stdout is a terminal and NO_COLOR is not set.
bool use_colour();

/// `table` as text fitting `width` columns (shrinkable columns are cut first).
std::string render_table(const TextTable& table, int width, bool colour);

/// ▁▂▃▄▅▆▇█ for `values` (scaled to their own min..max).
std::string sparkline(const std::vector<double>& values);

/// A bar of `value` / `max` of `width` cells ("█████▌").
std::string bar(double value, double max, int width);

/// A JSON value as a table cell: strings as they are, null as "", lists joined with ", ".
std::string cell_text(const ReportJson& value);

/// Prints `items` (an array of objects) as JSON (the whole body), CSV, or through `table` (already built).
void print_report(const ReportOptions& options, const ReportJson& body, const ReportJson& items,
                  const TextTable& table);

/// The items as CSV (same rules as the API's ?format=csv).
std::string items_to_csv(const ReportJson& items);

}  // namespace ampere::cli
