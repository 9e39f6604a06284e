// How the demo's sales people work and what their conversations decide: per-user styles from
// the seed, the channels they try, who answers, and the verdicts the hidden truth drives.
#include <algorithm>
#include <set>

#include "app/demo_desk.h"

namespace tandem::app::demo {
namespace {

constexpr uint64_t kStyleStream = 20;
constexpr ContactChannel kCadence[] = {ContactChannel::kCall,  ContactChannel::kEmail,
                                       ContactChannel::kCall,  ContactChannel::kSocial,
                                       ContactChannel::kEmail, ContactChannel::kCall,
                                       ContactChannel::kEmail, ContactChannel::kSocial};

RepStyle Prompt(Rng& rng) {
  return {.late = rng.Range(0.02, 0.08),
          .pace = rng.Range(0.8, 1.1),
          .premature = rng.Range(0.0, 0.04),
          .neglect = rng.Range(0.02, 0.04),
          .crm = rng.Range(0.2, 0.8)};
}

// Answers late: breaches of the accept and first-touch clocks, and spread-out attempts.
RepStyle Slow(Rng& rng) {
  return {.late = rng.Range(0.35, 0.45),
          .pace = rng.Range(1.6, 2.0),
          .premature = rng.Range(0.04, 0.08),
          .neglect = rng.Range(0.2, 0.25),
          .crm = rng.Range(0.2, 0.8)};
}

// Cuts corners: hands leads back before the minimum and keeps to the phone.
RepStyle Sloppy(Rng& rng) {
  return {.late = rng.Range(0.12, 0.2),
          .pace = rng.Range(1.3, 1.5),
          .premature = rng.Range(0.3, 0.4),
          .neglect = rng.Range(0.2, 0.25),
          .crm = rng.Range(0.2, 0.8),
          .one_channel = true};
}

// Managers take leads only when their team is full, and have other work.
RepStyle Busy(Rng& rng) {
  return {.late = rng.Range(0.15, 0.25),
          .pace = rng.Range(1.1, 1.3),
          .premature = 0.02,
          .neglect = 0.06,
          .crm = rng.Range(0.2, 0.8)};
}

Verdict Recycle(const SlaDocument& doc, std::string_view id) {
  const RecycleReason* r = FindRecycleReason(doc, id);
  return {SalesActionKind::kRecycle, r ? r->id : doc.recycle_reasons.front().id};
}

// A reason that needs the attempt minimum; a recycle when the document does not list it.
Verdict Disqualify(const SlaDocument& doc, std::string_view id, std::string_view otherwise) {
  const DisqualifyReason* r = FindDisqualifyReason(doc, id);
  if (!r) return Recycle(doc, otherwise);
  return {SalesActionKind::kDisqualify, r->id};
}

}  // namespace

std::vector<RepStyle> DrawStyles(uint64_t seed, const std::vector<Role>& roles) {
  std::vector<size_t> reps;
  for (size_t i = 0; i < roles.size(); ++i) {
    if (roles[i] == Role::kSalesRep) reps.push_back(i);
  }
  Rng pick = Rng::For(seed, kStyleStream, 0);
  std::vector<size_t> odd;  // the slow one, then the sloppy one
  while (odd.size() < std::min<size_t>(2, reps.size())) {
    size_t i = reps[static_cast<size_t>(pick.Int(0, static_cast<int64_t>(reps.size()) - 1))];
    if (std::find(odd.begin(), odd.end(), i) == odd.end()) odd.push_back(i);
  }
  std::vector<RepStyle> out;
  for (size_t i = 0; i < roles.size(); ++i) {
    Rng rng = Rng::For(seed, kStyleStream, i + 1);
    if (!odd.empty() && i == odd[0]) {
      out.push_back(Slow(rng));
    } else if (odd.size() > 1 && i == odd[1]) {
      out.push_back(Sloppy(rng));
    } else {
      out.push_back(roles[i] == Role::kSalesRep ? Prompt(rng) : Busy(rng));
    }
  }
  return out;
}

Verdict Judge(Rng& rng, const PersonPlan& p, const CompanyPlan& c, const SlaDocument& doc) {
  const Truth& t = p.truth;
  double q = Clamp01(0.4 * t.fit + 0.6 * t.intent + rng.Noise(0.12));
  if (rng.Chance(std::clamp(1.6 * (q - 0.3), 0.02, 0.9))) return {SalesActionKind::kQualify, {}};
  if (p.bounces) return Disqualify(doc, "left_company", "wrong_contact");
  if (t.fit < 0.22) {
    return rng.Chance(0.6) ? Disqualify(doc, "no_fit", "wrong_contact")
                           : Recycle(doc, "wrong_contact");
  }
  if (t.fit < 0.4 && rng.Chance(0.5)) return Recycle(doc, "wrong_contact");
  if (c.size_index <= 1 && rng.Chance(0.5)) return Recycle(doc, "no_budget");
  if (t.intent < 0.35) {
    return Recycle(doc, rng.Chance(0.5) ? "nurture_requested" : "not_ready_timing");
  }
  return Recycle(doc, rng.Chance(0.65) ? "not_ready_timing" : "no_budget");
}

Verdict GiveUp(const SlaDocument& doc) { return Recycle(doc, "no_response"); }

std::optional<std::string_view> Screen(Rng& rng, const PersonPlan& p, bool customer_company,
                                       const SlaDocument& doc) {
  std::string_view id;
  if (p.duplicate_of >= 0 && rng.Chance(0.8)) {
    id = "duplicate";
  } else if (customer_company && rng.Chance(0.3)) {
    id = "existing_customer";
  } else if (p.job_title.empty() && rng.Chance(0.3)) {
    id = "spam";  // a made-up form entry
  } else if (rng.Chance(0.005)) {
    id = "competitor";
  } else {
    return std::nullopt;
  }
  const DisqualifyReason* r = FindDisqualifyReason(doc, id);
  if (!r || !r->exempt_from_attempts) return std::nullopt;
  return std::string_view(r->id);
}

ContactChannel ChannelOf(Rng& rng, const RepStyle& style, int touch) {
  if (style.one_channel && touch < 4) return ContactChannel::kCall;
  if (touch > 0 && rng.Chance(0.04)) return ContactChannel::kMeeting;  // booked, not attended
  return kCadence[static_cast<size_t>(touch) % std::size(kCadence)];
}

bool Reaches(Rng& rng, const PersonPlan& p, ContactChannel channel, bool hand_raiser) {
  double intent = p.truth.intent, asked = hand_raiser ? 0.15 : 0;
  switch (channel) {
    case ContactChannel::kCall:
      return rng.Chance(0.2 + 0.35 * intent + asked);
    case ContactChannel::kEmail:
      return !p.bounces && rng.Chance(0.08 + 0.2 * intent + asked / 2);
    case ContactChannel::kSocial:
      return rng.Chance(0.05 + 0.1 * intent);
    case ContactChannel::kMeeting:
      break;
  }
  return false;
}

}  // namespace tandem::app::demo
