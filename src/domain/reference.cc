#include "domain/reference.h"

#include <array>
#include <initializer_list>
#include <string>
#include <vector>

namespace tandem {
namespace {

using SV = std::string_view;

// A title as lower-case words. Letters and digits (and any UTF-8 byte, so "geschäftsführer"
// stays one word) form words; everything else separates them ("Founder & CEO", "VP, Sales",
// "Co-Founder", "Sr./Lead").
class Words {
 public:
  explicit Words(SV text) {
    std::string word;
    for (char c : text) {
      unsigned char u = static_cast<unsigned char>(c);
      bool part = (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u >= 0x80;
      if (u >= 'A' && u <= 'Z') {
        word += static_cast<char>(u - 'A' + 'a');
      } else if (part) {
        word += c;
      } else if (!word.empty()) {
        words_.push_back(std::move(word));
        word.clear();
      }
    }
    if (!word.empty()) words_.push_back(std::move(word));
  }

  bool empty() const { return words_.empty(); }

  // Drops the words from `word` on: "Executive Assistant to the CEO" is not a CEO.
  void CutAt(SV word) {
    for (size_t i = 0; i < words_.size(); ++i) {
      if (words_[i] == word) {
        words_.resize(i);
        return;
      }
    }
  }

  // The index of the first place `phrase` (space-separated words) starts; npos if none.
  size_t Find(SV phrase) const {
    std::vector<SV> parts;
    for (size_t at = 0; at <= phrase.size();) {
      size_t sp = phrase.find(' ', at);
      if (sp == SV::npos) sp = phrase.size();
      parts.push_back(phrase.substr(at, sp - at));
      at = sp + 1;
    }
    for (size_t i = 0; i + parts.size() <= words_.size(); ++i) {
      size_t k = 0;
      while (k < parts.size() && words_[i + k] == parts[k]) ++k;
      if (k == parts.size()) return i;
    }
    return SV::npos;
  }
  bool Has(SV phrase) const { return Find(phrase) != SV::npos; }
  bool HasAny(std::initializer_list<SV> phrases) const {
    for (SV p : phrases) {
      if (Has(p)) return true;
    }
    return false;
  }
  // `word` occurs and is neither right after one of `not_after` ("vice president", "product
  // owner") nor right before one of `not_before` ("student advisor").
  bool HasUnless(SV word, std::initializer_list<SV> not_after,
                 std::initializer_list<SV> not_before = {}) const {
    for (size_t i = 0; i < words_.size(); ++i) {
      if (words_[i] != word) continue;
      bool excluded = false;
      for (SV before : not_after) excluded |= i > 0 && words_[i - 1] == before;
      for (SV after : not_before) excluded |= i + 1 < words_.size() && words_[i + 1] == after;
      if (!excluded) return true;
    }
    return false;
  }

 private:
  std::vector<std::string> words_;
};

// Seniority rules, checked from the top level down so "Senior Vice President" is vp and
// "Senior Manager" is manager. Choices where practice differs:
// - "Head of X" (and "X Head") is director, as in most European organisations; "Chief of
//   Staff" is director too.
// - "Managing Director" and "Managing Partner" run the company (Geschäftsführer): c_level.
//   "General Manager" is director. "Partner" alone says nothing ("Partner Manager").
// - "Owner" is c_level except "Product Owner" and "Process Owner", which are roles, not
//   ownership.
// - "Team Lead(er)" and "Supervisor" are manager; any other "Lead" ("Content Marketing Lead",
//   "Tech Lead") leads work, not people: senior. "Specialist" and "Account Executive" are
//   senior individual contributors.
// - Words after "to" are ignored: "Executive Assistant to the CEO" is entry.
bool IsCLevel(const Words& w) {
  if (w.HasAny({"chief of staff"})) return false;
  return w.HasAny({"chief",
                   "ceo",
                   "cto",
                   "cfo",
                   "cmo",
                   "coo",
                   "cio",
                   "ciso",
                   "cro",
                   "cpo",
                   "cdo",
                   "cso",
                   "founder",
                   "cofounder",
                   "managing director",
                   "managing partner",
                   "geschäftsführer",
                   "geschäftsführerin",
                   "inhaber",
                   "inhaberin"}) ||
         w.HasUnless("president", {"vice"}) || w.HasUnless("owner", {"product", "process"});
}

bool IsVp(const Words& w) {
  return w.HasAny({"vp", "svp", "evp", "avp", "vice president", "vicepresident"});
}

bool IsDirector(const Words& w) {
  return w.HasAny({"director", "directrice", "directeur", "direktor", "direktorin", "head",
                   "chief of staff", "general manager"});
}

bool IsManager(const Words& w) {
  return w.HasAny({"manager", "mgr", "team lead", "team leader", "supervisor"});
}

bool IsSenior(const Words& w) {
  return w.HasAny(
      {"senior", "sr", "principal", "staff", "lead", "specialist", "account executive", "expert"});
}

// ISO 3166-1 alpha-2 codes by region, two letters and a space each. Sales territories follow
// jurisdictions where geography is ambiguous: Puerto Rico and the US Virgin Islands are NA;
// Russia, Türkiye, the Caucasus and Israel are EMEA; Central Asia, Afghanistan and Pakistan
// are APAC (Asia). Antarctica and uninhabited territories have no region.
constexpr SV kEmea =
    "AD AL AT AX BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT JE LI "
    "LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM UA VA XK "
    "AE AM AZ BH GE IL IQ IR JO KW LB OM PS QA SA SY TR YE "
    "AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW KE KM LR LS LY MA MG "
    "ML MR MU MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TG TN TZ UG YT ZA ZM ZW ";
constexpr SV kNa = "US CA BM GL PM PR VI UM ";
constexpr SV kLatam =
    "MX BZ CR GT HN NI PA SV AR BO BR CL CO EC FK GF GY PE PY SR UY VE "
    "AG AI AW BB BL BQ BS CU CW DM DO GD GP HT JM KN KY LC MF MQ MS SX TC TT VC VG ";
constexpr SV kApac =
    "AF BD BN BT CC CN CX HK ID IN IO JP KG KH KP KR KZ LA LK MM MN MO MV MY NP PH PK SG TH TJ "
    "TL TM TW UZ VN "
    "AS AU CK FJ FM GU KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV VU WF WS ";

bool InCodeList(SV list, SV code) {
  for (size_t i = 0; i + 2 <= list.size(); i += 3) {
    if (list.substr(i, 2) == code) return true;
  }
  return false;
}

// Consumer mailbox providers; most traffic is from the first dozen.
constexpr std::array<SV, 62> kFreeMail{
    "gmail.com",    "googlemail.com", "outlook.com", "live.com",     "live.co.uk",
    "live.fr",      "live.de",        "live.nl",     "msn.com",      "icloud.com",
    "me.com",       "mac.com",        "aol.com",     "ymail.com",    "rocketmail.com",
    "mail.com",     "email.com",      "gmx.de",      "gmx.net",      "web.de",
    "t-online.de",  "freenet.de",     "arcor.de",    "posteo.de",    "mailbox.org",
    "mail.ru",      "bk.ru",          "inbox.ru",    "list.ru",      "rambler.ru",
    "proton.me",    "protonmail.com", "pm.me",       "tutanota.com", "tuta.io",
    "fastmail.com", "zoho.com",       "orange.fr",   "wanadoo.fr",   "free.fr",
    "sfr.fr",       "laposte.net",    "libero.it",   "virgilio.it",  "tiscali.it",
    "alice.it",     "bluewin.ch",     "wp.pl",       "o2.pl",        "onet.pl",
    "interia.pl",   "seznam.cz",      "uol.com.br",  "bol.com.br",   "terra.com.br",
    "qq.com",       "163.com",        "126.com",     "naver.com",    "daum.net",
    "hanmail.net",  "rediffmail.com",
};
// Providers with one mailbox brand in many countries: hotmail.co.uk, yahoo.co.jp, gmx.at, …
constexpr std::array<SV, 6> kFreeMailBrands{"hotmail", "yahoo", "outlook", "gmx", "yandex", "aol"};
// Regional access providers whose mailboxes come with a home connection.
constexpr std::array<SV, 5> kIspMail{"bigpond.com", "xtra.co.nz", "comcast.net", "shaw.ca",
                                     "btinternet.com"};

// The labels of a domain, last first: "mail.ox.ac.uk" → uk, ac, ox, mail.
std::vector<SV> LabelsFromEnd(SV domain) {
  std::vector<SV> out;
  while (!domain.empty()) {
    size_t dot = domain.rfind('.');
    if (dot == SV::npos) {
      out.push_back(domain);
      break;
    }
    out.push_back(domain.substr(dot + 1));
    domain = domain.substr(0, dot);
  }
  return out;
}

bool IsCountryTld(SV label) {
  return label.size() == 2 && label[0] >= 'a' && label[0] <= 'z' && label[1] >= 'a' &&
         label[1] <= 'z';
}

// brand.tld or brand.sld.cc, e.g. yahoo.com, hotmail.co.uk, yahoo.com.br.
bool IsBrandDomain(SV domain) {
  std::vector<SV> labels = LabelsFromEnd(domain);
  if (labels.size() < 2 || labels.size() > 3) return false;
  if (labels.size() == 3 && !IsCountryTld(labels[0])) return false;
  for (SV brand : kFreeMailBrands) {
    if (labels.back() == brand) return true;
  }
  return false;
}

}  // namespace

std::string_view SeniorityOf(std::string_view job_title) {
  Words w(job_title);
  if (w.empty()) return "";
  w.CutAt("to");
  if (IsCLevel(w)) return "c_level";
  if (IsVp(w)) return "vp";
  if (IsDirector(w)) return "director";
  if (IsManager(w)) return "manager";
  if (IsSenior(w)) return "senior";
  return "entry";
}

std::string_view RegionOf(std::string_view country) {
  if (country.size() != 2) return "";
  std::string code;
  for (char c : country) code += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  if (InCodeList(kEmea, code)) return "EMEA";
  if (InCodeList(kNa, code)) return "NA";
  if (InCodeList(kLatam, code)) return "LATAM";
  if (InCodeList(kApac, code)) return "APAC";
  return "";
}

bool IsFreeMailDomain(std::string_view domain) {
  for (SV d : kFreeMail) {
    if (d == domain) return true;
  }
  for (SV d : kIspMail) {
    if (d == domain) return true;
  }
  return IsBrandDomain(domain);
}

// Suffix rules only: *.edu (US), *.edu.cc and *.ac.cc (a country's academic zones: edu.au,
// ac.uk, ac.jp), *.sch.uk and *.k12.<state>.us (schools), and the German-speaking and French
// university naming habit uni-*.de|at|ch, univ-*.fr.
bool IsAcademicDomain(std::string_view domain) {
  std::vector<SV> labels = LabelsFromEnd(domain);
  if (labels.size() < 2) return false;
  if (labels[0] == "edu") return true;
  if (labels.size() >= 3 && IsCountryTld(labels[0]) && (labels[1] == "edu" || labels[1] == "ac")) {
    return true;
  }
  if (labels.size() >= 3 && labels[0] == "uk" && labels[1] == "sch") return true;
  if (labels.size() >= 4 && labels[0] == "us" && labels[2] == "k12") return true;
  {
    SV tld = labels[0], name = labels[1];
    bool uni = name.substr(0, 4) == "uni-" && (tld == "de" || tld == "at" || tld == "ch");
    bool univ = name.substr(0, 5) == "univ-" && tld == "fr";
    return uni || univ;
  }
  return false;
}

// A student word in a title that names no level above entry: "Marketing Intern", "PhD
// Candidate", "Werkstudent Vertrieb" are students; "Student Recruitment Manager" (a level)
// and "Student Services Coordinator" (a staff noun after "student") work with students.
bool IsStudentTitle(std::string_view job_title) {
  Words w(job_title);
  bool student =
      w.HasUnless("student", {},
                  {"advisor", "adviser", "affairs", "services", "success", "recruitment",
                   "recruiter", "counsellor", "counselor", "support", "officer", "coordinator",
                   "administrator", "experience", "engagement", "enrollment", "enrolment"}) ||
      w.HasAny({"studentin",     "intern",        "trainee",
                "apprentice",    "phd candidate", "doctoral candidate",
                "werkstudent",   "werkstudentin", "praktikant",
                "praktikantin",  "azubi",         "auszubildender",
                "auszubildende", "stagiaire",     "alternant",
                "alternante",    "étudiant",      "étudiante",
                "estudiante",    "becario",       "becaria",
                "studente",      "tirocinante",   "undergraduate"});
  return student && SeniorityOf(job_title) == "entry";
}

}  // namespace tandem
