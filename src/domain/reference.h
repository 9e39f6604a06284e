// Reference values from DESIGN.md derived from a person's raw fields: seniority from a job
// title, region from a country, and the kinds of e-mail domain a policy may test for.
// Pure functions over constant tables; thread-safe.
#pragma once

#include <string_view>

namespace tandem {

// "entry", "senior", "manager", "director", "vp" or "c_level"; "" for an empty title.
// Titles naming none of the levels are "entry".
std::string_view SeniorityOf(std::string_view job_title);

// "EMEA", "NA", "LATAM" or "APAC" for an ISO 3166 alpha-2 code (any case); "" if unknown.
std::string_view RegionOf(std::string_view country);

// Consumer mailbox providers (gmail.com, outlook.com, web.de, …). domain is lower case.
bool IsFreeMailDomain(std::string_view domain);

// Academic domains (*.edu, *.ac.uk, *.edu.au, …). domain is lower case.
bool IsAcademicDomain(std::string_view domain);

// A job title that says its holder is a student or intern.
bool IsStudentTitle(std::string_view job_title);

}  // namespace tandem
