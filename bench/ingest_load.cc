// A load client for POST /api/v1/activities: keep-alive connections posting batches of
// activities with unique ids for a fixed time (or count), counting only acknowledged ones.
//
//   ingest_load --port 8080 --token T [--seconds 60] [--batch 1000] [--connections 2]
//               [--people 5000] [--prefix run1] [--total N]
// Prints one JSON line: {"acknowledged":…, "seconds":…, "per_second":…, "failed_batches":…}
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <utility>  // before Asio on GCC 12
#include <vector>

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

struct Args {
  int port = 8080;
  std::string token, prefix = "load";
  double seconds = 60;
  int batch = 1000, connections = 2, people = 5000;
  long long total = 0;  // stop after this many activities (0: run for --seconds)
};

const char* kTypes[] = {"page_view",   "page_view",        "page_view",   "email_open",
                        "email_click", "content_download", "form_submit", "webinar_attended"};
const char* kPaths[] = {"/pricing", "/blog/lead-scoring", "/product", "/careers", "/docs/api"};

// Builds one batch body. Activities are spread over people load-0 … load-(people-1) and over
// the last 180 days before 2026-11-01.
std::string Batch(const Args& a, int worker, long long n) {
  std::string b;
  b.reserve(static_cast<size_t>(a.batch) * 220);
  b += '[';
  char item[320];
  for (int i = 0; i < a.batch; ++i) {
    long long seq = n * a.batch + i;
    unsigned long long h = (seq + 1) * 0x9E3779B97F4A7C15ull ^ static_cast<unsigned>(worker);
    int person = static_cast<int>(h % static_cast<unsigned>(a.people));
    int day = static_cast<int>((h >> 20) % 180), sec = static_cast<int>((h >> 32) % 86400);
    int len = std::snprintf(
        item, sizeof item,
        "%s{\"id\":\"%s-%d-%lld\",\"type\":\"%s\",\"email\":\"load-%d@load.example\","
        "\"occurred_at\":\"2026-%02d-%02dT%02d:%02d:%02dZ\",\"source\":\"bench\","
        "\"properties\":{\"path\":\"%s\"}}",
        i ? "," : "", a.prefix.c_str(), worker, seq, kTypes[h % 8], person, 5 + day / 30,
        1 + day % 28, sec / 3600, sec / 60 % 60, sec % 60, kPaths[(h >> 8) % 5]);
    b.append(item, static_cast<size_t>(len));
  }
  b += ']';
  return b;
}

void Worker(const Args& a, int worker, std::atomic<long long>& next_batch,
            std::atomic<long long>& acked, std::atomic<long long>& failed,
            std::chrono::steady_clock::time_point deadline) {
  boost::asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"),
                               static_cast<unsigned short>(a.port)));
  beast::flat_buffer buf;
  long long batches_total = a.total ? (a.total + a.batch - 1) / a.batch : 0;
  while (std::chrono::steady_clock::now() < deadline) {
    long long n = next_batch.fetch_add(1);
    if (batches_total && n >= batches_total) break;
    http::request<http::string_body> req{http::verb::post, "/api/v1/activities", 11};
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::authorization, "Bearer " + a.token);
    req.set(http::field::content_type, "application/json");
    req.body() = Batch(a, worker, n);
    req.prepare_payload();
    http::write(stream, req);
    http::response<http::string_body> res;
    http::read(stream, buf, res);
    const char* acc = std::strstr(res.body().c_str(), "\"accepted\":");
    if (res.result_int() == 200 && acc) {
      acked += std::atoll(acc + 11);
    } else {
      // Any refusal means the run is misconfigured (token, body): stop rather than spin.
      ++failed;
      std::fprintf(stderr, "batch failed: %u %s\n", res.result_int(), res.body().c_str());
      return;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--port")
      a.port = std::atoi(v.c_str());
    else if (k == "--token")
      a.token = v;
    else if (k == "--seconds")
      a.seconds = std::atof(v.c_str());
    else if (k == "--batch")
      a.batch = std::atoi(v.c_str());
    else if (k == "--connections")
      a.connections = std::atoi(v.c_str());
    else if (k == "--people")
      a.people = std::atoi(v.c_str());
    else if (k == "--prefix")
      a.prefix = v;
    else if (k == "--total")
      a.total = std::atoll(v.c_str());
    else
      return std::fprintf(stderr, "unknown option %s\n", k.c_str()), 2;
  }
  if (a.total) a.seconds = 1e9;
  std::atomic<long long> next{0}, acked{0}, failed{0};
  auto start = std::chrono::steady_clock::now();
  auto deadline = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                              std::chrono::duration<double>(a.seconds));
  std::vector<std::thread> threads;
  for (int w = 0; w < a.connections; ++w) {
    threads.emplace_back([&, w] {
      try {
        Worker(a, w, next, acked, failed, deadline);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "worker %d: %s\n", w, e.what());
        ++failed;
      }
    });
  }
  for (auto& t : threads) t.join();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "{\"acknowledged\":%lld,\"seconds\":%.2f,\"per_second\":%.0f,"
      "\"failed_batches\":%lld}\n",
      acked.load(), secs, static_cast<double>(acked.load()) / secs, failed.load());
  return failed.load() ? 1 : 0;
}
