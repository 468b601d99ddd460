//! A published opening as schema.org `JobPosting` (JSON-LD), the form job search engines read:
//! served on the opening's page and at `GET /api/v1/openings/{id}/jobposting`.

use serde_json::{Value, json};
use tsunagu_domain::employer::Employer;
use tsunagu_domain::opening::{Opening, WageKind};

/// The `JobPosting` of `opening`. `municipality` is the place's name, `description` the tasks and
/// accommodations as the page words them, `base` the address the opening's page is served at.
pub fn job_posting(
    opening: &Opening,
    employer: &Employer,
    municipality: Option<&str>,
    description: &str,
    url: &str,
) -> Value {
    let f = &opening.fields;
    // Under 30 hours a week is part time in Japan's labour statistics (短時間労働者).
    let employment = if f.hours_max < 30 { "PART_TIME" } else { "FULL_TIME" };
    let unit = match f.wage_kind {
        WageKind::Hourly => "HOUR",
        WageKind::Monthly => "MONTH",
    };
    let mut address = json!({ "@type": "PostalAddress", "addressCountry": "JP" });
    if let Some(region) = f.municipality.as_ref().and_then(|m| tsunagu_domain::codes::prefecture_name(m.prefecture())) {
        address["addressRegion"] = region.into();
    }
    if let Some(locality) = municipality {
        address["addressLocality"] = locality.into();
    }
    if let Some(place) = &f.place {
        address["streetAddress"] = place.clone().into();
    }
    let mut posting = json!({
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": f.title,
        "description": description,
        "identifier": { "@type": "PropertyValue", "name": employer.fields.name, "value": opening.id.0.to_string() },
        "hiringOrganization": {
            "@type": "Organization",
            "name": employer.fields.name,
            "identifier": employer.fields.corporate_number.to_string(),
        },
        "employmentType": employment,
        "jobLocation": { "@type": "Place", "address": address },
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": "JPY",
            "value": { "@type": "QuantitativeValue", "value": f.wage, "unitText": unit },
        },
        "totalJobOpenings": f.positions,
        "url": url,
    });
    if let Some(day) = opening.published_on {
        posting["datePosted"] = day.to_string().into();
    }
    if let Some(day) = f.starts_on {
        posting["jobStartDate"] = day.to_string().into();
    }
    posting
}

/// The opening in words for `description`: its tasks, then the accommodations it offers.
pub fn description(tr: crate::web::i18n::Tr, o: &Opening) -> String {
    let mut lines: Vec<String> = o.fields.tasks.iter().map(|t| format!("・{t}")).collect();
    if !o.fields.accommodations.is_empty() {
        let offered: Vec<String> =
            o.fields.accommodations.iter().map(|a| tr.get(&format!("accommodation-{}", a.code()))).collect();
        lines.push(format!("{}: {}", tr.get("field-offered"), offered.join(tr.separator())));
    }
    lines.join("\n")
}

/// `value` as the text of a `<script type="application/ld+json">`: `<`, `>` and `&` written as
/// JSON escapes, so that no text of the opening can close the element or open a comment.
pub fn script_text(value: &Value) -> String {
    value.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}
