// placeholder: CSV import lands here
#pragma once
