-- Demo data, step 4: rebuild the spelling-correction word list and refresh
-- the planner's statistics for everything loaded.

SELECT refresh_search_terms();

ANALYZE board;
ANALYZE council_area;
ANALYZE data_zone;
ANALYZE postcode;
ANALYZE postcode_area;
ANALYZE practice;
ANALYZE category;
ANALYZE organization;
ANALYZE service;
ANALYZE service_category;
ANALYZE location;
ANALYZE service_at_location;
ANALYZE schedule;
ANALYZE schedule_exception;
ANALYZE phone;
ANALYZE language;
ANALYZE accessibility;
ANALYZE service_area;
ANALYZE search_term;
