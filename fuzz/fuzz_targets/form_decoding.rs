//! Any bytes as a submitted form, decoded into the pages' forms: a form is read or refused with a
//! reason, never a panic, and a body that does not decode as UTF-8 is always refused.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tsunagu_http::web::form::decode;

fuzz_target!(|data: &[u8]| {
    let utf8 = decode::<tsunagu_http::web::form::CsrfOnly>(data).is_ok();
    let _ = decode::<tsunagu_http::persons::pages::PersonForm>(data);
    let _ = decode::<tsunagu_http::persons::pages::OverrideForm>(data);
    let _ = decode::<tsunagu_http::journey::pages::SupportForm>(data);
    let _ = decode::<tsunagu_http::journey::pages::StageForm>(data);
    let _ = decode::<tsunagu_http::journey::pages::PlanForm>(data);
    let _ = decode::<tsunagu_http::journey::pages::ReviewForm>(data);
    let _ = decode::<tsunagu_http::referrals::pages::ReferralForm>(data);
    let _ = decode::<tsunagu_http::account::pages::LoginForm>(data);
    let _ = decode::<tsunagu_http::account::pages::TokenForm>(data);
    if std::str::from_utf8(data).is_err() && !data.contains(&b'%') {
        assert!(!utf8, "raw bytes that are not UTF-8 are refused");
    }
});
