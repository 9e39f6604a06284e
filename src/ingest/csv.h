// placeholder: the CSV reader lands here
#pragma once
