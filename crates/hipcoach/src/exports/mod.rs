//! File formats other programs read: FHIR for health records, iCalendar for calendars, PDF to
//! print. Each is a pure function from stored data to bytes, so tests check the output itself.

pub mod fhir;
pub mod ical;
pub mod pdf;
