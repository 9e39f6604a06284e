// Users, teams and API tokens. Tokens are stored as SHA-256 hashes only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/user.h"
#include "store/db.h"
#include "store/store.h"

namespace tandem::store {

Result<User> LoadUser(sql::Db& db, UserId id);
std::optional<User> FindUserByEmail(sql::Db& db, std::string_view email);
std::vector<User> ListUsers(sql::Db& db);
// Inserts u, assigning u.id. kAlreadyExists if the e-mail is taken.
Status InsertUser(WriteTxn& txn, User& u);

std::vector<Team> ListTeams(sql::Db& db);
Status InsertTeam(WriteTxn& txn, Team& t);
// Names the team's manager (a team is often created before its members). kNotFound if no
// such team.
Status SetTeamManager(WriteTxn& txn, TeamId team, UserId manager);

// A new random token for user: the secret is returned once and never stored.
struct NewToken {
  TokenInfo info;
  std::string secret;  // "tdm_" + 43 url-safe base64 characters
};
Result<NewToken> CreateToken(WriteTxn& txn, const User& user, std::string label,
                             std::optional<Timestamp> expires_at);
std::vector<TokenInfo> ListTokens(sql::Db& db);
// kNotFound if no such token; revoking twice is fine.
Status RevokeToken(WriteTxn& txn, TokenId id);

// The token's owner if the secret is known, not revoked and not expired at now.
// kUnauthenticated otherwise, with a reason safe to show.
Result<TokenInfo> Authenticate(sql::Db& db, std::string_view secret, Timestamp now);

// What the store keeps of a secret (SHA-256), and the token it names, revoked or not.
std::string TokenHash(std::string_view secret);
std::optional<TokenInfo> FindTokenByHash(sql::Db& db, std::string_view hash);
// kUnauthenticated if t is revoked or expired at now.
Status CheckTokenUsable(const TokenInfo& t, Timestamp now);

}  // namespace tandem::store
