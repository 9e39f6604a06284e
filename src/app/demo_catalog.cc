#include "app/demo_catalog.h"

#include <cctype>
#include <utility>

namespace tandem::app::demo {
namespace {

using R = Region;
using SV = std::string_view;

// Name groups (demo_names.cc): 0 anglo, 1 german, 2 french, 3 dutch, 4 nordic, 5 italian,
// 6 polish, 7 spanish, 8 portuguese, 9 japanese, 10 indian, 11 chinese, 12 arabic,
// 13 southern african.
// clang-format off
constexpr std::array<CountryInfo, 24> kCountries{{
    {"US", R::kNa, 28, -5, ".com", "Inc.", 0,
     {"+1 212 N## ####", "(415) N##-####", "+1 312 N## ####"}, "gmail.com"},
    {"CA", R::kNa, 5, -5, ".ca", "Inc.", 0,
     {"+1 416 N## ####", "(604) N##-####", "+1 514 N## ####"}, "gmail.com"},
    {"GB", R::kEmea, 10, 0, ".co.uk", "Ltd", 0,
     {"+44 20 7### ####", "020 8### ####", "+44 78## ######"}, "outlook.com"},
    {"DE", R::kEmea, 9, 1, ".de", "GmbH", 1,
     {"+49 30 ########", "+49 151 ########", "089 #######"}, "gmx.de"},
    {"FR", R::kEmea, 5, 1, ".fr", "SAS", 2,
     {"+33 1 ## ## ## ##", "06 1# ## ## ##", "+33 4 N# ## ## ##"}, "orange.fr"},
    {"NL", R::kEmea, 4, 1, ".nl", "B.V.", 3,
     {"+31 20 ### ####", "06 1#######", "+31 10 ### ####"}, "gmail.com"},
    {"ES", R::kEmea, 3, 1, ".es", "S.L.", 7,
     {"+34 91 ### ## ##", "+34 6## ### ###", "93 ### ## ##"}, "gmail.com"},
    {"IT", R::kEmea, 3, 1, ".it", "S.r.l.", 5,
     {"+39 02 #### ####", "+39 34# ### ####", "06 #### ####"}, "libero.it"},
    {"SE", R::kEmea, 2, 1, ".se", "AB", 4,
     {"+46 8 ### ### ##", "070 ### ## ##", "+46 31 ### ## ##"}, "gmail.com"},
    {"IE", R::kEmea, 2, 0, ".ie", "Ltd", 0,
     {"+353 1 ### ####", "085 ### ####", "+353 87 ### ####"}, "gmail.com"},
    {"CH", R::kEmea, 2, 1, ".ch", "AG", 1,
     {"+41 44 ### ## ##", "079 ### ## ##", "+41 22 ### ## ##"}, "bluewin.ch"},
    {"PL", R::kEmea, 2, 1, ".pl", "Sp. z o.o.", 6,
     {"+48 22 ### ## ##", "+48 50# ### ###", "+48 60# ### ###"}, "wp.pl"},
    {"ZA", R::kEmea, 1, 2, ".co.za", "(Pty) Ltd", 13,
     {"+27 11 ### ####", "+27 82 ### ####", "021 ### ####"}, "gmail.com"},
    {"AE", R::kEmea, 1, 4, ".ae", "LLC", 12,
     {"+971 4 3## ####", "+971 50 ### ####", "04 2## ####"}, "gmail.com"},
    {"BR", R::kLatam, 5, -3, ".com.br", "Ltda.", 8,
     {"+55 11 9#### ####", "+55 11 3### ####", "(21) 9####-####"}, "uol.com.br"},
    {"MX", R::kLatam, 3, -6, ".com.mx", "S.A. de C.V.", 7,
     {"+52 55 #### ####", "+52 33 #### ####", "55 #### ####"}, "hotmail.com"},
    {"AR", R::kLatam, 1.5, -3, ".com.ar", "S.A.", 7,
     {"+54 11 4### ####", "+54 9 11 5### ####", "+54 11 5### ####"}, "gmail.com"},
    {"CL", R::kLatam, 1, -4, ".cl", "SpA", 7,
     {"+56 2 2### ####", "+56 9 5### ####", "+56 9 8### ####"}, "gmail.com"},
    {"CO", R::kLatam, 1.5, -5, ".com.co", "S.A.S.", 7,
     {"+57 601 N## ####", "+57 31# ### ####", "+57 604 N## ####"}, "hotmail.com"},
    {"AU", R::kApac, 4, 10, ".com.au", "Pty Ltd", 0,
     {"+61 2 9### ####", "041# ### ###", "+61 3 9### ####"}, "bigpond.com"},
    {"SG", R::kApac, 2, 8, ".sg", "Pte Ltd", 11,
     {"+65 62## ####", "+65 91## ####", "81## ####"}, "gmail.com"},
    {"JP", R::kApac, 2, 9, ".jp", "K.K.", 9,
     {"+81 3 N### ####", "090 N### ####", "+81 6 #### ####"}, "yahoo.co.jp"},
    {"IN", R::kApac, 4, 5, ".in", "Pvt Ltd", 10,
     {"+91 98### #####", "+91 80 #### ####", "+91 22 2### ####"}, "gmail.com"},
    {"NZ", R::kApac, 1, 12, ".co.nz", "Ltd", 0,
     {"+64 9 N## ####", "021 ### ####", "+64 4 N## ####"}, "xtra.co.nz"},
}};
// clang-format on

constexpr std::array<TitleInfo, 48> kTitles{{
    {"Marketing Coordinator", "entry", "marketing", 0.55, 5},
    {"Marketing Assistant", "entry", "marketing", 0.4, 3},
    {"Sales Development Representative", "entry", "sales", 0.5, 5},
    {"Customer Support Agent", "entry", "support", 0.12, 3},
    {"Junior Developer", "entry", "engineering", 0.08, 3},
    {"Office Administrator", "entry", "operations", 0.1, 2},
    {"Student", "entry", "none", 0.0, 2},
    {"Marketing Intern", "entry", "marketing", 0.15, 1.5},
    {"Registered Nurse", "entry", "healthcare", 0.02, 1},
    {"Teacher", "entry", "education", 0.03, 1},
    {"Account Executive", "senior", "sales", 0.55, 5},
    {"Senior Account Executive", "senior", "sales", 0.6, 3},
    {"Senior Engineer", "senior", "engineering", 0.1, 5},
    {"Marketing Operations Specialist", "senior", "marketing", 0.75, 3},
    {"Demand Generation Specialist", "senior", "marketing", 0.7, 3},
    {"Senior Data Analyst", "senior", "analytics", 0.3, 3},
    {"Senior Accountant", "senior", "finance", 0.08, 2},
    {"Senior Consultant", "senior", "consulting", 0.25, 2},
    {"Content Marketing Lead", "senior", "marketing", 0.6, 2},
    {"Marketing Manager", "manager", "marketing", 0.75, 5},
    {"Marketing Operations Manager", "manager", "marketing", 0.92, 3},
    {"Revenue Operations Manager", "manager", "revops", 0.95, 2},
    {"Sales Manager", "manager", "sales", 0.7, 4},
    {"IT Manager", "manager", "it", 0.3, 3},
    {"Product Manager", "manager", "product", 0.3, 3},
    {"Customer Success Manager", "manager", "customer success", 0.4, 3},
    {"HR Manager", "manager", "hr", 0.08, 2},
    {"Project Manager", "manager", "operations", 0.15, 2},
    {"Head of Marketing", "director", "marketing", 0.9, 2},
    {"Head of Sales", "director", "sales", 0.85, 2},
    {"Director of Marketing", "director", "marketing", 0.9, 2},
    {"Director of Sales", "director", "sales", 0.85, 2},
    {"Director of Demand Generation", "director", "marketing", 0.95, 1},
    {"Director of Operations", "director", "operations", 0.45, 2},
    {"IT Director", "director", "it", 0.35, 1.5},
    {"Director of Finance", "director", "finance", 0.2, 1},
    {"VP Sales", "vp", "sales", 0.9, 1.2},
    {"VP Marketing", "vp", "marketing", 0.95, 1.2},
    {"VP Revenue Operations", "vp", "revops", 1.0, 0.5},
    {"VP Engineering", "vp", "engineering", 0.2, 1},
    {"VP Customer Success", "vp", "customer success", 0.5, 0.6},
    {"CEO", "c_level", "executive", 0.6, 1.5},
    {"Founder & CEO", "c_level", "executive", 0.6, 1},
    {"CMO", "c_level", "marketing", 0.95, 0.7},
    {"CRO", "c_level", "sales", 0.95, 0.4},
    {"CFO", "c_level", "finance", 0.3, 0.7},
    {"CTO", "c_level", "engineering", 0.25, 0.8},
    {"COO", "c_level", "operations", 0.45, 0.6},
}};

constexpr std::array<SV, 8> kSoftware{"Software",  "Systems",      "Labs",    "Cloud",
                                      "Analytics", "Technologies", "Digital", "Data"};
constexpr std::array<SV, 7> kManufacturing{
    "Industries", "Manufacturing", "Engineering", "Components", "Precision", "Works", "Machinery"};
constexpr std::array<SV, 7> kHealthcare{"Health",      "Medical", "Clinics",    "Care",
                                        "Diagnostics", "Pharma",  "BioSciences"};
constexpr std::array<SV, 7> kFinance{"Capital",  "Bank",   "Financial", "Insurance",
                                     "Partners", "Wealth", "Payments"};
constexpr std::array<SV, 7> kRetail{"Retail", "Stores", "Outfitters", "Market",
                                    "Goods",  "Home",   "Fashion"};
constexpr std::array<SV, 6> kEducation{"Academy",  "University", "College",
                                       "Learning", "Institute",  "School"};
constexpr std::array<SV, 6> kLogistics{"Logistics", "Freight", "Shipping",
                                       "Transport", "Cargo",   "Supply"};
constexpr std::array<SV, 6> kMedia{"Media", "Studios",      "Publishing",
                                   "Press", "Broadcasting", "Creative"};
constexpr std::array<SV, 5> kPublic{"Council", "Authority", "Agency", "Services", "Commission"};
constexpr std::array<SV, 6> kServices{"Consulting", "Advisors", "Group",
                                      "Associates", "Legal",    "Accounting"};

constexpr std::array<IndustryInfo, 10> kIndustries{{
    {"software", 1.0, 22, kSoftware},
    {"manufacturing", 0.75, 14, kManufacturing},
    {"healthcare", 0.55, 9, kHealthcare},
    {"finance", 0.8, 11, kFinance},
    {"retail", 0.55, 9, kRetail},
    {"education", 0.3, 6, kEducation},
    {"logistics", 0.7, 8, kLogistics},
    {"media", 0.6, 7, kMedia},
    {"public sector", 0.25, 5, kPublic},
    {"professional services", 0.7, 9, kServices},
}};

constexpr std::array<SizeBandInfo, 6> kSizeBands{{
    {"1-10", 0.2, 18, 1, 1200, 4000},
    {"11-50", 0.55, 25, 2, 4000, 12000},
    {"51-200", 0.9, 24, 4, 10000, 30000},
    {"201-1000", 1.0, 17, 7, 25000, 80000},
    {"1001-5000", 0.8, 10, 10, 60000, 160000},
    {"5000+", 0.55, 6, 14, 120000, 300000},
}};

constexpr std::array<SV, 64> kCompanyWords{
    "Northwind", "Bluepeak", "Ironbridge", "Silverline", "Brightwave", "Keystone",   "Lumen",
    "Harbor",    "Summit",   "Cedar",      "Atlas",      "Nimbus",     "Vertex",     "Orbit",
    "Quantum",   "Meridian", "Evergreen",  "Redwood",    "Falcon",     "Polaris",    "Beacon",
    "Cobalt",    "Granite",  "Horizon",    "Juniper",    "Kestrel",    "Lighthouse", "Maple",
    "Nova",      "Oakridge", "Pioneer",    "Riverstone", "Sapphire",   "Tidewater",  "Unity",
    "Vantage",   "Willow",   "Zenith",     "Aurora",     "Bramble",    "Crescent",   "Delta",
    "Ember",     "Fjord",    "Glacier",    "Highland",   "Indigo",     "Jade",       "Kinetic",
    "Larkspur",  "Monarch",  "Northstar",  "Onyx",       "Pinnacle",   "Quarry",     "Rosewood",
    "Sterling",  "Trident",  "Upland",     "Velvet",     "Westgate",   "Alder",      "Basalt",
    "Clearwater"};

constexpr std::array<SV, 12> kFreeMail{"gmail.com", "gmail.com",   "gmail.com",  "outlook.com",
                                       "yahoo.com", "hotmail.com", "icloud.com", "proton.me",
                                       "gmail.com", "outlook.com", "live.com",   "aol.com"};

constexpr std::array<SV, 16> kGeneralPages{"/",
                                           "/",
                                           "/blog/lead-scoring-that-sales-trusts",
                                           "/blog/mql-vs-sql",
                                           "/blog/what-is-a-sales-marketing-sla",
                                           "/blog/crm-data-hygiene-checklist",
                                           "/blog/b2b-attribution-myths",
                                           "/blog/nurture-programmes-that-work",
                                           "/blog/revops-team-structure",
                                           "/careers",
                                           "/careers/senior-backend-engineer",
                                           "/about",
                                           "/contact",
                                           "/events",
                                           "/resources",
                                           "/blog"};

constexpr std::array<SV, 16> kResearchPages{"/product",
                                            "/product/lead-scoring",
                                            "/product/sla-tracking",
                                            "/product/routing",
                                            "/integrations",
                                            "/integrations/salesforce",
                                            "/integrations/hubspot",
                                            "/pricing",
                                            "/pricing",
                                            "/customers",
                                            "/customers/northwind-logistics",
                                            "/security",
                                            "/docs/getting-started",
                                            "/compare/spreadsheets",
                                            "/demo",
                                            "/product/backtesting"};

constexpr std::array<SV, 6> kCustomerPages{
    "/login", "/login", "/docs/getting-started", "/docs/api", "/docs/sla-settings", "/support"};

constexpr std::array<SV, 8> kReferrers{"direct", "google", "google",     "linkedin",
                                       "bing",   "g2",     "newsletter", "partner"};

constexpr std::array<SV, 8> kAssets{"lead-scoring-playbook",   "sales-marketing-sla-template",
                                    "state-of-revops-2026",    "crm-data-quality-checklist",
                                    "b2b-buyer-journey-ebook", "pipeline-roi-calculator",
                                    "persona-workshop-kit",    "funnel-benchmark-report"};

constexpr std::array<WebinarInfo, 8> kWebinars{{
    {"aligning-sales-and-marketing", "Aligning sales and marketing in 30 days"},
    {"lead-scoring-masterclass", "Lead scoring masterclass"},
    {"building-an-sla-that-sticks", "Building an SLA that sticks"},
    {"revops-metrics-that-matter", "RevOps metrics that matter"},
    {"cleaning-up-your-crm", "Cleaning up your CRM"},
    {"from-mql-to-revenue", "From MQL to revenue"},
    {"nurture-that-converts", "Nurture that converts"},
    {"forecasting-with-confidence", "Forecasting with confidence"},
}};

constexpr std::array<SV, 6> kLossReasons{"no budget",   "chose a competitor",  "bad timing",
                                         "no decision", "missing integration", "price too high"};

// UTF-8 letters the name lists use, with their ASCII folding.
constexpr std::pair<SV, SV> kFolds[] = {
    {"á", "a"}, {"à", "a"}, {"ã", "a"}, {"ä", "a"}, {"å", "a"}, {"ą", "a"}, {"ç", "c"},
    {"é", "e"}, {"è", "e"}, {"ë", "e"}, {"ê", "e"}, {"É", "e"}, {"í", "i"}, {"ï", "i"},
    {"ñ", "n"}, {"ń", "n"}, {"ó", "o"}, {"ô", "o"}, {"ö", "o"}, {"ø", "o"}, {"ú", "u"},
    {"ü", "u"}, {"ł", "l"}, {"Ł", "l"}, {"ś", "s"}, {"ż", "z"}, {"ź", "z"}, {"ß", "ss"},
};

}  // namespace

std::span<const CountryInfo> Countries() { return kCountries; }
std::span<const TitleInfo> Titles() { return kTitles; }
std::span<const IndustryInfo> Industries() { return kIndustries; }
std::span<const SizeBandInfo> SizeBands() { return kSizeBands; }
std::span<const std::string_view> CompanyWords() { return kCompanyWords; }
std::span<const std::string_view> FreeMailDomains() { return kFreeMail; }
std::span<const std::string_view> GeneralPages() { return kGeneralPages; }
std::span<const std::string_view> ResearchPages() { return kResearchPages; }
std::span<const std::string_view> CustomerPages() { return kCustomerPages; }
std::span<const std::string_view> Referrers() { return kReferrers; }
std::span<const std::string_view> Assets() { return kAssets; }
std::span<const WebinarInfo> Webinars() { return kWebinars; }
std::span<const std::string_view> LossReasons() { return kLossReasons; }

std::string Slug(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
      ++i;
      continue;
    }
    size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    for (const auto& [from, to] : kFolds) {
      if (text.substr(i, len) == from) out += to;
    }
    i += len;
  }
  return out;
}

}  // namespace tandem::app::demo
