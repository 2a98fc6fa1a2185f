// triage: debugger-integrated crash triage for libFuzzer campaigns.
#include "triage/cli/app.hpp"

int main(int argc, char** argv) { return triage::cli::run_app(argc, argv); }
