// First and last names for the demo company, grouped by language so a person's name fits
// their country (and mixed, as real workforces are).
#include "app/demo_catalog.h"

namespace tandem::app::demo {
namespace {

using SV = std::string_view;

constexpr std::array<SV, 20> kAngloFirst{"James", "Olivia", "Michael", "Emma",    "David",
                                         "Sarah", "Daniel", "Jessica", "Chris",   "Emily",
                                         "Ryan",  "Hannah", "Jamal",   "Aaliyah", "Connor",
                                         "Megan", "Tyrone", "Grace",   "Liam",    "Chloe"};
constexpr std::array<SV, 20> kAngloLast{"Smith",    "Johnson",  "Williams", "Brown",   "Taylor",
                                        "Wilson",   "Davies",   "Evans",    "Walker",  "Wright",
                                        "Robinson", "Thompson", "Jackson",  "O'Brien", "Murphy",
                                        "Campbell", "Stewart",  "Clarke",   "Harris",  "Bennett"};
constexpr std::array<SV, 16> kGermanFirst{
    "Lukas",  "Anna",   "Jonas",  "Lena",  "Maximilian", "Laura",  "Felix",   "Katharina",
    "Jürgen", "Sabine", "Tobias", "Julia", "Stefan",     "Miriam", "Florian", "Franziska"};
constexpr std::array<SV, 16> kGermanLast{
    "Müller",   "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner",  "Becker",
    "Hoffmann", "Schäfer", "Koch",      "Richter", "Klein", "Wolf",  "Neumann", "Braun"};
constexpr std::array<SV, 16> kFrenchFirst{
    "Camille", "Lucas",   "Léa",   "Hugo",     "Manon",  "Louis",   "Chloé",  "Théo",
    "Inès",    "Nicolas", "Julie", "François", "Amélie", "Antoine", "Élodie", "Mathieu"};
constexpr std::array<SV, 16> kFrenchLast{
    "Martin", "Bernard", "Dubois", "Thomas",  "Robert",  "Richard", "Petit",  "Durand",
    "Leroy",  "Moreau",  "Simon",  "Laurent", "Lefèvre", "Michel",  "Garcia", "Fournier"};
constexpr std::array<SV, 14> kDutchFirst{"Daan",   "Sanne", "Bram",  "Fleur", "Sem",
                                         "Lotte",  "Thijs", "Eva",   "Ruben", "Anouk",
                                         "Jeroen", "Femke", "Niels", "Iris"};
constexpr std::array<SV, 14> kDutchLast{"de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk",
                                        "Bakker",  "Visser", "Smit",     "Meijer",       "de Boer",
                                        "Mulder",  "Bos",    "Vos",      "Peters"};
constexpr std::array<SV, 14> kNordicFirst{"Erik",  "Astrid", "Lars",   "Ingrid", "Oskar",
                                          "Maja",  "Nils",   "Freja",  "Søren",  "Elin",
                                          "Björn", "Saga",   "Anders", "Linnea"};
constexpr std::array<SV, 14> kNordicLast{
    "Andersson", "Johansson", "Karlsson",  "Nilsson", "Eriksson",  "Larsson", "Olsson",
    "Persson",   "Svensson",  "Lindqvist", "Berg",    "Lindström", "Holm",    "Nyström"};
constexpr std::array<SV, 14> kItalianFirst{
    "Giulia", "Marco",     "Francesca", "Alessandro", "Chiara", "Luca",  "Sara",
    "Matteo", "Valentina", "Lorenzo",   "Federica",   "Davide", "Elena", "Simone"};
constexpr std::array<SV, 14> kItalianLast{"Rossi",  "Russo",   "Ferrari", "Esposito", "Bianchi",
                                          "Romano", "Colombo", "Ricci",   "Marino",   "Greco",
                                          "Bruno",  "Gallo",   "Conti",   "De Luca"};
constexpr std::array<SV, 14> kPolishFirst{"Łukasz",    "Agnieszka", "Piotr",  "Katarzyna", "Tomasz",
                                          "Magdalena", "Paweł",     "Anna",   "Michał",    "Joanna",
                                          "Krzysztof", "Zofia",     "Marcin", "Małgorzata"};
// Surnames that do not change with gender (unlike Kowalski / Kowalska).
constexpr std::array<SV, 14> kPolishLast{"Nowak",    "Wójcik", "Kowalczyk", "Woźniak", "Mazur",
                                         "Krawczyk", "Zając",  "Król",      "Wróbel",  "Pawlak",
                                         "Walczak",  "Sikora", "Baran",     "Duda"};
constexpr std::array<SV, 18> kSpanishFirst{"José",    "María",     "Carlos",    "Lucía",   "Javier",
                                           "Sofía",   "Alejandro", "Valentina", "Diego",   "Camila",
                                           "Miguel",  "Isabella",  "Andrés",    "Martina", "Pablo",
                                           "Daniela", "Mateo",     "Gabriela"};
constexpr std::array<SV, 18> kSpanishLast{
    "García", "Rodríguez", "Martínez", "López",    "González", "Hernández",
    "Pérez",  "Sánchez",   "Ramírez",  "Torres",   "Flores",   "Rivera",
    "Gómez",  "Díaz",      "Morales",  "Castillo", "Ortiz",    "Vargas"};
constexpr std::array<SV, 16> kPortugueseFirst{
    "João",   "Ana",      "Pedro",   "Mariana", "Gabriel", "Beatriz", "Rafael", "Larissa",
    "Thiago", "Fernanda", "Gustavo", "Juliana", "Felipe",  "Letícia", "Bruno",  "Camila"};
constexpr std::array<SV, 16> kPortugueseLast{
    "Silva",     "Santos",  "Oliveira",   "Souza",    "Lima",   "Pereira", "Ferreira", "Costa",
    "Rodrigues", "Almeida", "Nascimento", "Carvalho", "Araújo", "Ribeiro", "Gomes",    "Barbosa"};
constexpr std::array<SV, 14> kJapaneseFirst{"Haruto", "Yui", "Sota",    "Aoi",   "Yuto",
                                            "Hina",   "Ren", "Sakura",  "Kenji", "Yuki",
                                            "Takumi", "Mei", "Hiroshi", "Akiko"};
constexpr std::array<SV, 14> kJapaneseLast{
    "Sato",     "Suzuki",    "Takahashi", "Tanaka",  "Watanabe", "Ito",    "Yamamoto",
    "Nakamura", "Kobayashi", "Kato",      "Yoshida", "Yamada",   "Sasaki", "Inoue"};
constexpr std::array<SV, 16> kIndianFirst{"Aarav",  "Priya", "Vivaan", "Ananya", "Arjun",  "Diya",
                                          "Rohan",  "Kavya", "Rahul",  "Sneha",  "Vikram", "Pooja",
                                          "Aditya", "Neha",  "Sanjay", "Isha"};
constexpr std::array<SV, 16> kIndianLast{
    "Sharma", "Patel", "Singh", "Kumar", "Gupta",      "Reddy",    "Iyer",   "Nair",
    "Mehta",  "Joshi", "Rao",   "Desai", "Chatterjee", "Banerjee", "Kapoor", "Menon"};
constexpr std::array<SV, 14> kChineseFirst{"Wei",   "Mei Ling", "Jun",     "Xin Yi", "Hao",
                                           "Li Na", "Jia Hui",  "Zhi Wei", "Kai",    "Hui Min",
                                           "Jason", "Rachel",   "Marcus",  "Wen"};
constexpr std::array<SV, 14> kChineseLast{"Tan",  "Lim", "Lee", "Ng",  "Wong", "Chen",  "Goh",
                                          "Chua", "Ong", "Koh", "Teo", "Wang", "Zhang", "Liu"};
constexpr std::array<SV, 14> kArabicFirst{"Omar",   "Fatima", "Ahmed", "Layla",  "Youssef",
                                          "Mariam", "Khalid", "Noor",  "Hassan", "Aisha",
                                          "Tariq",  "Sara",   "Karim", "Huda"};
constexpr std::array<SV, 14> kArabicLast{"Al Mansouri", "Haddad",  "Nasser", "Khoury", "Saleh",
                                         "Al Hashimi",  "Farouk",  "Aziz",   "Rahman", "Hamdan",
                                         "Qureshi",     "Mansour", "Bakr",   "Ibrahim"};
constexpr std::array<SV, 14> kAfricanFirst{"Thabo",  "Nomvula",  "Sipho",   "Lerato", "Kagiso",
                                           "Zanele", "Pieter",   "Annelie", "Mandla", "Naledi",
                                           "Johan",  "Precious", "Bongani", "Ayanda"};
constexpr std::array<SV, 14> kAfricanLast{
    "Nkosi",  "Dlamini", "Ndlovu",   "Khumalo", "Mokoena",   "van der Merwe", "Botha",
    "Naidoo", "Pillay",  "Mahlangu", "Sithole", "Pretorius", "Zulu",          "Molefe"};

constexpr std::array<NameGroup, 14> kGroups{{
    {kAngloFirst, kAngloLast},
    {kGermanFirst, kGermanLast},
    {kFrenchFirst, kFrenchLast},
    {kDutchFirst, kDutchLast},
    {kNordicFirst, kNordicLast},
    {kItalianFirst, kItalianLast},
    {kPolishFirst, kPolishLast},
    {kSpanishFirst, kSpanishLast},
    {kPortugueseFirst, kPortugueseLast},
    {kJapaneseFirst, kJapaneseLast},
    {kIndianFirst, kIndianLast},
    {kChineseFirst, kChineseLast},
    {kArabicFirst, kArabicLast},
    {kAfricanFirst, kAfricanLast},
}};

}  // namespace

std::span<const NameGroup> NameGroups() { return kGroups; }

}  // namespace tandem::app::demo
