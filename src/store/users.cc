#include "store/users.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <nlohmann/json.hpp>

#include "store/sha256.h"

namespace tandem::store {
namespace {

constexpr const char* kUserColumns = "id, email, name, role, team_id, out_of_office";

User RowToUser(const sql::Stmt& s) {
  User u;
  u.id = UserId(s.Int(0));
  u.email = s.Text(1);
  u.name = s.Text(2);
  u.role = ParseRole(s.TextView(3)).value_or(Role::kViewer);
  u.team = TeamId(s.Int(4));
  u.out_of_office = s.Int(5) != 0;
  return u;
}

std::string HashSecret(std::string_view secret) { return Sha256(secret); }

std::string RandomSecret() {
  unsigned char raw[32];
  RAND_bytes(raw, sizeof raw);
  unsigned char b64[64];
  int n = EVP_EncodeBlock(b64, raw, sizeof raw);
  std::string s(reinterpret_cast<char*>(b64), static_cast<size_t>(n));
  for (char& c : s) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  while (!s.empty() && s.back() == '=') s.pop_back();
  return "tdm_" + s;
}

constexpr const char* kTokenSelect =
    "SELECT t.id, t.user_id, u.email, u.role, t.label, t.created_at, t.expires_at, "
    "t.revoked_at FROM tokens t JOIN users u ON u.id = t.user_id";

TokenInfo RowToToken(const sql::Stmt& s) {
  TokenInfo t;
  t.id = TokenId(s.Int(0));
  t.user = UserId(s.Int(1));
  t.user_email = s.Text(2);
  t.role = ParseRole(s.TextView(3)).value_or(Role::kViewer);
  t.label = s.Text(4);
  t.created_at = FromMicros(s.Int(5));
  if (!s.IsNull(6)) t.expires_at = FromMicros(s.Int(6));
  if (!s.IsNull(7)) t.revoked_at = FromMicros(s.Int(7));
  return t;
}

}  // namespace

Result<User> LoadUser(sql::Db& db, UserId id) {
  static const std::string kSql = std::string("SELECT ") + kUserColumns + " FROM users WHERE id=?";
  auto& s = db.Cached(kSql.c_str());
  s.Bind(1, id.value());
  if (!s.Step()) return NotFound("no user with id " + std::to_string(id.value()));
  return RowToUser(s);
}

std::optional<User> FindUserByEmail(sql::Db& db, std::string_view email) {
  static const std::string kSql =
      std::string("SELECT ") + kUserColumns + " FROM users WHERE email=?";
  auto& s = db.Cached(kSql.c_str());
  s.Bind(1, email);
  if (!s.Step()) return std::nullopt;
  return RowToUser(s);
}

std::vector<User> ListUsers(sql::Db& db) {
  static const std::string kSql = std::string("SELECT ") + kUserColumns + " FROM users ORDER BY id";
  auto& s = db.Cached(kSql.c_str());
  std::vector<User> out;
  while (s.Step()) out.push_back(RowToUser(s));
  return out;
}

Status InsertUser(WriteTxn& txn, User& u) {
  if (FindUserByEmail(txn.db(), u.email)) {
    return {Code::kAlreadyExists, "a user with e-mail " + u.email + " exists"};
  }
  auto& s = txn.db().Cached(
      "INSERT INTO users(email, name, role, team_id, out_of_office, created_at) "
      "VALUES(?,?,?,?,?,?)");
  s.Bind(1, u.email).Bind(2, u.name).Bind(3, RoleName(u.role)).BindOptional(4, u.team.value());
  s.Bind(5, int64_t{u.out_of_office}).Bind(6, ToMicros(txn.now()));
  TANDEM_RETURN_IF_ERROR(s.Run());
  u.id = UserId(txn.db().LastInsertRowId());
  return Status::Ok();
}

std::vector<Team> ListTeams(sql::Db& db) {
  auto& s = db.Cached(
      "SELECT id, name, manager_id, time_zone, business_hours, holidays FROM teams ORDER BY id");
  std::vector<Team> out;
  while (s.Step()) {
    Team t;
    t.id = TeamId(s.Int(0));
    t.name = s.Text(1);
    t.manager = UserId(s.Int(2));
    t.time_zone = s.Text(3);
    t.business_hours = s.Text(4);
    auto h = nlohmann::json::parse(s.TextView(5), nullptr, false);
    if (h.is_array()) {
      for (const auto& d : h) {
        if (d.is_string()) t.holidays.push_back(d.get<std::string>());
      }
    }
    out.push_back(std::move(t));
  }
  return out;
}

Status InsertTeam(WriteTxn& txn, Team& t) {
  std::string holidays = nlohmann::json(t.holidays).dump();
  auto& s = txn.db().Cached(
      "INSERT INTO teams(name, manager_id, time_zone, business_hours, holidays) "
      "VALUES(?,?,?,?,?)");
  s.Bind(1, t.name).BindOptional(2, t.manager.value()).Bind(3, t.time_zone);
  s.Bind(4, t.business_hours).Bind(5, holidays);
  TANDEM_RETURN_IF_ERROR(s.Run());
  t.id = TeamId(txn.db().LastInsertRowId());
  return Status::Ok();
}

Status SetTeamManager(WriteTxn& txn, TeamId team, UserId manager) {
  TANDEM_RETURN_IF_ERROR(txn.db()
                             .Cached("UPDATE teams SET manager_id = ? WHERE id = ?")
                             .Bind(1, manager.value())
                             .Bind(2, team.value())
                             .Run());
  if (txn.db().Changes() == 0) return NotFound("no team with id " + std::to_string(team.value()));
  return Status::Ok();
}

Result<NewToken> CreateToken(WriteTxn& txn, const User& user, std::string label,
                             std::optional<Timestamp> expires_at) {
  NewToken t;
  t.secret = RandomSecret();
  std::string hash = HashSecret(t.secret);
  auto& s = txn.db().Cached(
      "INSERT INTO tokens(user_id, hash, label, created_at, expires_at) VALUES(?,?,?,?,?)");
  s.Bind(1, user.id.value()).BindBlob(2, hash).Bind(3, label).Bind(4, ToMicros(txn.now()));
  if (expires_at)
    s.Bind(5, ToMicros(*expires_at));
  else
    s.BindNull(5);
  TANDEM_RETURN_IF_ERROR(s.Run());
  t.info = {TokenId(txn.db().LastInsertRowId()),
            user.id,
            user.email,
            user.role,
            std::move(label),
            txn.now(),
            expires_at,
            std::nullopt};
  return t;
}

std::vector<TokenInfo> ListTokens(sql::Db& db) {
  static const std::string kSql = std::string(kTokenSelect) + " ORDER BY t.id";
  auto& s = db.Cached(kSql.c_str());
  std::vector<TokenInfo> out;
  while (s.Step()) out.push_back(RowToToken(s));
  return out;
}

Status RevokeToken(WriteTxn& txn, TokenId id) {
  auto& s = txn.db().Cached("UPDATE tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?");
  s.Bind(1, ToMicros(txn.now())).Bind(2, id.value());
  TANDEM_RETURN_IF_ERROR(s.Run());
  if (txn.db().Changes() == 0) return NotFound("no token with id " + std::to_string(id.value()));
  return Status::Ok();
}

std::string TokenHash(std::string_view secret) { return HashSecret(secret); }

std::optional<TokenInfo> FindTokenByHash(sql::Db& db, std::string_view hash) {
  static const std::string kSql = std::string(kTokenSelect) + " WHERE t.hash = ?";
  auto& s = db.Cached(kSql.c_str());
  s.BindBlob(1, hash);
  if (!s.Step()) return std::nullopt;
  TokenInfo t = RowToToken(s);
  s.Reset();
  return t;
}

Status CheckTokenUsable(const TokenInfo& t, Timestamp now) {
  if (t.revoked_at) return Status(Code::kUnauthenticated, "token revoked");
  if (t.expires_at && *t.expires_at <= now) return Status(Code::kUnauthenticated, "token expired");
  return Status::Ok();
}

Result<TokenInfo> Authenticate(sql::Db& db, std::string_view secret, Timestamp now) {
  auto t = FindTokenByHash(db, HashSecret(secret));
  if (!t) return Status(Code::kUnauthenticated, "unknown token");
  TANDEM_RETURN_IF_ERROR(CheckTokenUsable(*t, now));
  return *t;
}

}  // namespace tandem::store
