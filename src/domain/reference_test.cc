#include "domain/reference.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace tandem {
namespace {

TEST(Seniority, EveryDemoTitleGetsTheLevelTheDemoCatalogueGivesIt) {
  // The titles and levels of src/app/demo_catalog.cc, so the demo's grades carry signal.
  const std::pair<const char*, const char*> kDemo[] = {
      {"Marketing Coordinator", "entry"},
      {"Marketing Assistant", "entry"},
      {"Sales Development Representative", "entry"},
      {"Customer Support Agent", "entry"},
      {"Junior Developer", "entry"},
      {"Office Administrator", "entry"},
      {"Student", "entry"},
      {"Marketing Intern", "entry"},
      {"Registered Nurse", "entry"},
      {"Teacher", "entry"},
      {"Account Executive", "senior"},
      {"Senior Account Executive", "senior"},
      {"Senior Engineer", "senior"},
      {"Marketing Operations Specialist", "senior"},
      {"Demand Generation Specialist", "senior"},
      {"Senior Data Analyst", "senior"},
      {"Senior Accountant", "senior"},
      {"Senior Consultant", "senior"},
      {"Content Marketing Lead", "senior"},
      {"Marketing Manager", "manager"},
      {"Marketing Operations Manager", "manager"},
      {"Revenue Operations Manager", "manager"},
      {"Sales Manager", "manager"},
      {"IT Manager", "manager"},
      {"Product Manager", "manager"},
      {"Customer Success Manager", "manager"},
      {"HR Manager", "manager"},
      {"Project Manager", "manager"},
      {"Head of Marketing", "director"},
      {"Head of Sales", "director"},
      {"Director of Marketing", "director"},
      {"Director of Sales", "director"},
      {"Director of Demand Generation", "director"},
      {"Director of Operations", "director"},
      {"IT Director", "director"},
      {"Director of Finance", "director"},
      {"VP Sales", "vp"},
      {"VP Marketing", "vp"},
      {"VP Revenue Operations", "vp"},
      {"VP Engineering", "vp"},
      {"VP Customer Success", "vp"},
      {"CEO", "c_level"},
      {"Founder & CEO", "c_level"},
      {"CMO", "c_level"},
      {"CRO", "c_level"},
      {"CFO", "c_level"},
      {"CTO", "c_level"},
      {"COO", "c_level"},
  };
  for (const auto& [title, level] : kDemo) EXPECT_EQ(SeniorityOf(title), level) << title;
}

TEST(Seniority, HigherLevelWinsAndWordsAreWholeAndCaseFree) {
  EXPECT_EQ(SeniorityOf("Senior Vice President, Sales"), "vp");
  EXPECT_EQ(SeniorityOf("senior manager"), "manager");
  EXPECT_EQ(SeniorityOf("Executive Vice-President"), "vp");
  EXPECT_EQ(SeniorityOf("President"), "c_level");
  EXPECT_EQ(SeniorityOf("Co-Founder"), "c_level");
  EXPECT_EQ(SeniorityOf("Chief Revenue Officer"), "c_level");
  EXPECT_EQ(SeniorityOf("Managing Director"), "c_level");
  EXPECT_EQ(SeniorityOf("Business Owner"), "c_level");
  EXPECT_EQ(SeniorityOf("SVP Marketing"), "vp");
  EXPECT_EQ(SeniorityOf("Sr. Product Marketing Manager"), "manager");
  EXPECT_EQ(SeniorityOf("Sr. Engineer"), "senior");
  EXPECT_EQ(SeniorityOf("Principal Architect"), "senior");
  EXPECT_EQ(SeniorityOf("Team Lead Support"), "manager");
  EXPECT_EQ(SeniorityOf("Marketing Head"), "director");
  EXPECT_EQ(SeniorityOf("General Manager EMEA"), "director");
}

TEST(Seniority, LookAlikesDoNotPromote) {
  EXPECT_EQ(SeniorityOf("Product Owner"), "entry");
  EXPECT_EQ(SeniorityOf("Executive Assistant to the CEO"), "entry");
  EXPECT_EQ(SeniorityOf("Chief of Staff"), "director");
  EXPECT_EQ(SeniorityOf("Headhunter"), "entry");           // not "head"
  EXPECT_EQ(SeniorityOf("Leader"), "entry");               // not "lead"
  EXPECT_EQ(SeniorityOf("Cooperation Officer"), "entry");  // not "coo"
  EXPECT_EQ(SeniorityOf("Partner Manager"), "manager");
  EXPECT_EQ(SeniorityOf("Marketing Executive"), "entry");
}

TEST(Seniority, EmptyTitleHasNoLevel) {
  EXPECT_EQ(SeniorityOf(""), "");
  EXPECT_EQ(SeniorityOf(" - "), "");
  EXPECT_EQ(SeniorityOf("Astronaut"), "entry");
}

TEST(Region, DemoCountriesAndEveryContinent) {
  EXPECT_EQ(RegionOf("US"), "NA");
  EXPECT_EQ(RegionOf("ca"), "NA");
  for (const char* c : {"GB", "DE", "FR", "NL", "ES", "IT", "SE", "IE", "CH", "PL", "ZA", "AE"}) {
    EXPECT_EQ(RegionOf(c), "EMEA") << c;
  }
  for (const char* c : {"BR", "MX", "AR", "CL", "CO", "JM", "PA"}) EXPECT_EQ(RegionOf(c), "LATAM");
  for (const char* c : {"AU", "SG", "JP", "IN", "NZ", "CN", "FJ"}) EXPECT_EQ(RegionOf(c), "APAC");
  EXPECT_EQ(RegionOf("NA"), "EMEA");  // Namibia
  EXPECT_EQ(RegionOf("TR"), "EMEA");
  EXPECT_EQ(RegionOf("EG"), "EMEA");
}

TEST(Region, UnknownCodesHaveNoRegion) {
  EXPECT_EQ(RegionOf(""), "");
  EXPECT_EQ(RegionOf("ZZ"), "");
  EXPECT_EQ(RegionOf("USA"), "");
  EXPECT_EQ(RegionOf("U"), "");
  EXPECT_EQ(RegionOf("AQ"), "");
}

TEST(Region, EveryCodeIsInOneRegionOnly) {
  int found = 0;
  for (char a = 'A'; a <= 'Z'; ++a) {
    for (char b = 'A'; b <= 'Z'; ++b) {
      std::string code{a, b};
      if (!RegionOf(code).empty()) ++found;
    }
  }
  // 249 assigned codes, XK in use, five without people (AQ BV GS HM TF).
  EXPECT_EQ(found, 245);
}

TEST(FreeMail, ProvidersTheDemoUsesAndCountryVariants) {
  for (const char* d :
       {"gmail.com",   "googlemail.com", "outlook.com", "yahoo.com",     "hotmail.com",
        "icloud.com",  "proton.me",      "live.com",    "aol.com",       "gmx.de",
        "orange.fr",   "libero.it",      "bluewin.ch",  "wp.pl",         "uol.com.br",
        "bigpond.com", "yahoo.co.jp",    "xtra.co.nz",  "hotmail.co.uk", "yahoo.com.br",
        "gmx.at",      "web.de",         "t-online.de", "mail.ru",       "yandex.ru",
        "qq.com",      "naver.com"}) {
    EXPECT_TRUE(IsFreeMailDomain(d)) << d;
  }
}

TEST(FreeMail, CompanyDomainsAreNot) {
  for (const char* d : {"northwind.com", "acme.co.uk", "mail.acme.com", "gmail.company.com",
                        "outlook.office365.com", "yahoo-inc.com", "hotmail.example.org", ""}) {
    EXPECT_FALSE(IsFreeMailDomain(d)) << d;
  }
}

TEST(Academic, SuffixRules) {
  for (const char* d : {"mit.edu", "cs.stanford.edu", "ox.ac.uk", "unimelb.edu.au", "u-tokyo.ac.jp",
                        "uni-heidelberg.de", "mail.uni-koeln.de", "univ-lyon1.fr", "school.sch.uk",
                        "lausd.k12.ca.us"}) {
    EXPECT_TRUE(IsAcademicDomain(d)) << d;
  }
  for (const char* d : {"edu", "edu.au", "education.com", "northwindacademy.com", "uni.de",
                        "university.io", "ac.uk", "example.ac", ""}) {
    EXPECT_FALSE(IsAcademicDomain(d)) << d;
  }
}

TEST(Student, TitlesOfStudentsAndInterns) {
  for (const char* t : {"Student", "Marketing Intern", "PhD Candidate", "Graduate Student",
                        "Werkstudent Vertrieb", "Trainee", "Apprentice Electrician",
                        "Praktikantin Marketing", "Stagiaire", "Working student"}) {
    EXPECT_TRUE(IsStudentTitle(t)) << t;
  }
}

TEST(Student, StaffWhoWorkWithStudentsAreNotStudents) {
  for (const char* t :
       {"Student Recruitment Manager", "Student Services Coordinator", "Internal Auditor",
        "Head of Interns", "Student Advisor", "Internist", "Marketing Manager", ""}) {
    EXPECT_FALSE(IsStudentTitle(t)) << t;
  }
}

}  // namespace
}  // namespace tandem
