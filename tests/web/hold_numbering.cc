// A third workstation holding the invoice numbering for a while, as during a slow
// finalization, so the browser test sees the page say who holds it and wait on request.
// Args: DATA SECONDS. Prints "held" once it holds the numbering, then lets go after SECONDS.
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "store/company.h"
#include "store/numbering.h"
#include "store/clock.h"

int main(int argc, char** argv) {
  using namespace invoicing;
  if (argc != 3) {
    std::fprintf(stderr, "usage: hold_numbering DATA SECONDS\n");
    return 2;
  }
  store::OpenOptions o;
  o.who = {"carl", "PC-carl"};
  auto c = store::Company::open(argv[1], o);
  const int year = store::today().year;
  store::Action held(c->storage());
  store::Numbering(*c).hold(domain::DocType::invoice, year);
  store::Company::Doing doing(*c, "numbering " + store::series_name(domain::DocType::invoice, year));
  std::printf("held\n");
  std::fflush(stdout);
  std::this_thread::sleep_for(std::chrono::seconds(std::stoi(argv[2])));
  held.commit();
  return 0;
}
