// tandem serve: the API (and later the dashboard) over HTTP until SIGINT or SIGTERM.
#include <signal.h>

#include <iostream>

#include "api/api.h"
#include "api/http_server.h"
#include "app/cli.h"
#include "app/delivery_loop.h"
#include "app/sla_scheduler.h"
#include "app/version.h"
#include "ingest/lead_model.h"

namespace tandem::app {
namespace {

struct ServeArgs {
  std::string listen;
  int threads = 0;
  bool without_scoring = false;
};

int Serve(const Globals& g, const ServeArgs& a) {
  Config c = g.Resolve();
  std::string listen = a.listen.empty() ? c.listen : a.listen;
  auto addr = ParseListen(listen);
  if (!addr.ok()) return Fail(addr.status());
  // Block the signals before any thread starts, so only sigwait below sees them.
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGINT);
  sigaddset(&sigs, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &sigs, nullptr);

  auto store = g.OpenForWrite("server http://" + listen);
  if (!store.ok()) return Fail(store.status());
  auto models = g.OpenModels(**store);
  if (!models.ok()) return Fail(models.status());
  auto warn_routing = [](const Status& st) {
    std::cerr << "tandem: " << (st.ok() ? "SLA routing works again" : st.ToString()) << "\n";
  };
  if (Status st = models->sla->RoutingStatus(); !st.ok()) warn_routing(st);
  models->sla->OnRoutingChanged(warn_routing);
  // Ingest without the engine: decisions are not journaled, and scores catch up when the
  // store is next opened (the journal replay). Only for measuring what scoring costs.
  if (a.without_scoring) (*store)->ClearJournalObservers();
  api::Api api(**store, *models->leads, *models->sla, g.clock,
               {.phone_region = c.phone_region, .version = kVersion});
  SlaScheduler scheduler(*models->sla, g.clock,
                         [](const std::string& e) { std::cerr << "tandem: " << e << "\n"; });
  scheduler.Start();
  DeliveryLoop delivery(**store, c, g.clock);
  delivery.Start();
  api::HttpServer server({.host = addr->first,
                          .port = addr->second,
                          .threads = a.threads ? a.threads : c.threads,
                          .max_body_bytes = c.max_body_bytes},
                         [&api](api::Request r) { return api.Handle(std::move(r)); });
  if (Status st = server.Start(); !st.ok()) return Fail(st);
  std::cout << "tandem " << kVersion << " serving http://" << addr->first << ":" << server.port()
            << " (store " << (*store)->path() << ")" << std::endl;
  int sig = 0;
  sigwait(&sigs, &sig);
  std::cout << "tandem: stopping on signal " << sig << std::endl;
  server.Stop();
  scheduler.Stop();
  delivery.Stop();
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App& app, Globals& g) {
  auto args = std::make_shared<ServeArgs>();
  auto* sub = app.add_subcommand("serve", "Serve the API and dashboard on HTTP");
  sub->add_option("--listen", args->listen, "HOST:PORT to listen on (default 127.0.0.1:8080)");
  sub->add_option("--threads", args->threads, "I/O threads (default: [server] threads)")
      ->check(CLI::Range(1, 64));
  sub->add_flag("--without-scoring", args->without_scoring,
                "For benchmarks: ingest without running the lead engine (scores catch up at the "
                "next start)");
  sub->callback([&g, args] {
    if (int rc = Serve(g, *args)) throw CLI::RuntimeError(rc);
  });
}

}  // namespace tandem::app
