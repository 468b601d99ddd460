//! Parsing of the directory's query parameters, shared by the pages and the API.

use serde::Deserialize;
use tsunagu_app::directory::AgencySearch;
use tsunagu_app::reference::References;
use tsunagu_domain::directory::{AgencyKind, BlockCode};
use tsunagu_domain::{LocalGovCode, Problems};
use utoipa::IntoParams;

/// The directory's filters as they arrive in a query string.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AgencyFilter {
    /// Text to find in the name, reading or address (width and kana differences ignored).
    #[param(max_length = 100)]
    pub q: Option<String>,
    /// Block code (`GET /api/v1/blocks`).
    #[param(schema_with = crate::api::schema::block_code)]
    pub block: Option<String>,
    #[param(schema_with = crate::api::schema::agency_kind_filter)]
    /// Agency kind code.
    pub kind: Option<String>,
    /// 全国地方公共団体コード of a municipality the directory holds.
    #[param(schema_with = crate::api::schema::municipality_code)]
    pub municipality: Option<String>,
    /// Page number, from 1.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100000)]
    pub page: Option<String>,
}

fn non_empty(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl AgencyFilter {
    /// Checks the filters; unknown values are problems, not silently ignored.
    pub fn parse(&self, refs: &References) -> Result<AgencySearch, Problems> {
        let mut p = Problems::new();
        let text = non_empty(&self.q).map(str::to_owned);
        if text.as_ref().is_some_and(|t| t.chars().count() > 100) {
            p.push(tsunagu_domain::Problem { field: "q", code: "too_long", limit: Some(100) });
        }
        let block = non_empty(&self.block).map(|b| BlockCode(b.to_owned()));
        if block.as_ref().is_some_and(|b| refs.block(b).is_none()) {
            p.add("block", "unknown_block");
        }
        let kind = match non_empty(&self.kind) {
            None => None,
            Some(raw) => {
                let kind = AgencyKind::parse(raw);
                if kind.is_none() {
                    p.add("kind", "unknown_kind");
                }
                kind
            }
        };
        let municipality = match non_empty(&self.municipality).map(LocalGovCode::parse) {
            None => None,
            Some(Ok(code)) => Some(code),
            Some(Err(e)) => {
                p.add("municipality", e.code());
                None
            }
        };
        let page = match non_empty(&self.page).map(str::parse::<u32>) {
            None => 1,
            Some(Ok(n)) if (1..=100_000).contains(&n) => n,
            Some(_) => {
                p.add("page", "page_number");
                1
            }
        };
        p.into_result(AgencySearch { text, block, kind, municipality, page })
    }
}
