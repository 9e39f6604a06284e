// An append-only JSON text writer for hot responses (GET /api/v1/people/{id}), where building
// a DOM first costs more than the request. The caller writes a well-formed sequence; strings
// must be valid UTF-8 (the store only holds validated text) and are escaped here.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tandem::api {

class JsonWriter {
 public:
  JsonWriter() { out_.reserve(1024); }
  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }
  JsonWriter& Key(std::string_view k);
  JsonWriter& String(std::string_view v);
  JsonWriter& Int(int64_t v);
  JsonWriter& Bool(bool v);
  JsonWriter& Null();
  // Appends already-serialised JSON as one value.
  JsonWriter& Raw(std::string_view json);

  std::string& str() { return out_; }

 private:
  JsonWriter& Open(char c);
  JsonWriter& Close(char c);
  void Separate();

  std::string out_;
  bool need_comma_ = false;
};

}  // namespace tandem::api
