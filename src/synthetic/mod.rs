//! `advisor gen-catalog`: a synthetic shop of any size for benchmarks and load tests, shaped like
//! a real one: low-cardinality facets with skewed (Zipf-like) values, multi-valued fields, prices
//! spread over a log scale, ratings, 20–40 word descriptions, variant groups and a few unlisted
//! products, and per product a few others it goes well with. It writes a catalogue config, a
//! product file and an advisor with next steps, all checked by the same
//! loader as a real shop. The output is a pure function of the product count and the seed.

mod advisor;

use std::fs;
use std::io::{BufWriter, Write};
use std::path::Path;

use rand::distr::Distribution;
use rand::distr::weighted::WeightedIndex;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

/// One facet of the synthetic shop: its values, most common first, and how many a product has.
pub(crate) struct Facet {
    pub name: &'static str,
    pub values: &'static [&'static str],
    /// At least and at most this many values per product (1..=1 is a single-valued facet).
    pub min: usize,
    pub max: usize,
}

pub(crate) const FACETS: &[Facet] = &[
    Facet {
        name: "category",
        values: &[
            "Jackets",
            "Shirts",
            "Pants",
            "Shoes",
            "Backpacks",
            "Fleece",
            "Shorts",
            "Socks",
            "Hats",
            "Gloves",
            "Tents",
            "Sleeping Bags",
        ],
        min: 1,
        max: 1,
    },
    Facet {
        name: "gender",
        values: &["Unisex", "Women", "Men", "Kids"],
        min: 1,
        max: 1,
    },
    Facet {
        name: "activity",
        values: &[
            "Hiking", "City", "Running", "Travel", "Camping", "Cycling", "Climbing", "Skiing",
        ],
        min: 1,
        max: 3,
    },
    Facet {
        name: "season",
        values: &["Summer", "Spring", "Autumn", "Winter"],
        min: 1,
        max: 3,
    },
    Facet {
        name: "features",
        values: &[
            "Breathable",
            "Waterproof",
            "Windproof",
            "Packable",
            "Insulated",
            "Reflective",
            "Recycled",
        ],
        min: 0,
        max: 3,
    },
    Facet {
        name: "color",
        values: &[
            "Black", "Blue", "Grey", "Green", "Red", "White", "Navy", "Orange", "Yellow", "Purple",
            "Brown", "Pink",
        ],
        min: 1,
        max: 4,
    },
    Facet {
        name: "material",
        values: &[
            "Polyester",
            "Cotton",
            "Nylon",
            "Merino",
            "Softshell",
            "Down",
            "Leather",
            "Hemp",
        ],
        min: 1,
        max: 1,
    },
];

const BRANDS: &[&str] = &[
    "Nordkap",
    "Alpenglow",
    "Fjellrev",
    "Tidewater",
    "Summit Co",
    "Larchwood",
    "Kestrel",
    "Borealis",
    "Cairn",
    "Driftline",
    "Ibex Lane",
    "Moraine",
];

const WORDS: &[&str] = &[
    "light",
    "warm",
    "durable",
    "soft",
    "trail",
    "comfort",
    "weather",
    "fabric",
    "fit",
    "layer",
    "pocket",
    "zip",
    "hood",
    "seam",
    "stretch",
    "mountain",
    "city",
    "day",
    "long",
    "walk",
    "rain",
    "wind",
    "cold",
    "dry",
    "quick",
    "pack",
    "strap",
    "sole",
    "grip",
    "cushion",
    "breathable",
    "recycled",
    "organic",
    "classic",
    "modern",
    "tough",
    "everyday",
    "adventure",
    "travel",
    "camp",
    "ridge",
    "valley",
    "summit",
    "forest",
    "river",
    "snow",
    "sun",
    "shade",
    "cool",
    "thermal",
    "insulated",
    "waterproof",
    "windproof",
    "reflective",
    "packable",
    "roomy",
    "adjustable",
    "cuff",
    "collar",
    "lining",
    "mesh",
    "panel",
    "knit",
    "weave",
    "wool",
    "down",
    "fleece",
    "nylon",
    "cotton",
    "hemp",
    "seasons",
    "morning",
    "evening",
    "commute",
    "weekend",
    "trip",
    "journey",
    "climb",
    "ride",
    "run",
    "hike",
    "ski",
    "tent",
    "sleep",
    "night",
    "shelter",
    "storm",
    "breeze",
    "frost",
    "trek",
    "route",
    "path",
    "peak",
    "lake",
    "coast",
    "harbour",
];

const KINDS: &[&str] = &[
    "Pro", "Lite", "Trail", "Urban", "Alpine", "Classic", "Storm", "Air",
];

/// Skew of every facet's and word's distribution (1 is Zipf's law).
const ZIPF: f64 = 1.1;
/// Words of a description are less skewed than facet values.
const WORD_ZIPF: f64 = 0.7;
const UNLISTED_SHARE: f64 = 0.03;
const VARIANT_SHARE: f64 = 0.2;
/// Products each product lists as going with it.
const COMPANIONS: usize = 4;

#[derive(Serialize)]
struct Record<'a> {
    id: String,
    name: String,
    description: String,
    price: f64,
    rating: f64,
    reviews: u32,
    visibility: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    item_group: Option<String>,
    image: String,
    /// Ids of products the shop lists as going with this one ("goes well with").
    companions: Vec<String>,
    #[serde(flatten)]
    facets: std::collections::BTreeMap<&'a str, serde_json::Value>,
}

/// Weights 1/k^s over `n` items, most common first.
fn zipf(n: usize, skew: f64) -> WeightedIndex<f64> {
    WeightedIndex::new((1..=n).map(|k| 1.0 / (k as f64).powf(skew)))
        .expect("a non-empty list of positive weights")
}

/// Writes `catalog/` (config, products, licence note) and `questions/` into `out`.
pub fn generate(out: &Path, products: usize, seed: u64) -> std::io::Result<()> {
    let catalog = out.join("catalog");
    let questions = out.join("questions");
    fs::create_dir_all(&catalog)?;
    fs::create_dir_all(&questions)?;
    fs::write(catalog.join("catalog.yaml"), catalog_config())?;
    fs::write(questions.join("outdoor.yaml"), advisor::question_file())?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let facet_dists: Vec<WeightedIndex<f64>> =
        FACETS.iter().map(|f| zipf(f.values.len(), ZIPF)).collect();
    let words = zipf(WORDS.len(), WORD_ZIPF);
    let brands = zipf(BRANDS.len(), ZIPF);
    let mut file = BufWriter::new(fs::File::create(catalog.join("products.jsonl"))?);
    let mut group: Option<(String, usize)> = None;
    for n in 0..products {
        let id = format!("S{n:07}");
        // Variants follow their first product directly and share its group.
        let item_group = match group.take() {
            Some((g, left)) if left > 0 => {
                group = Some((g.clone(), left - 1));
                Some(g)
            }
            _ if rng.random_bool(VARIANT_SHARE) => {
                let g = format!("G{n:07}");
                group = Some((g.clone(), rng.random_range(1..=3)));
                Some(g)
            }
            _ => None,
        };
        let mut facets = std::collections::BTreeMap::new();
        let mut category = "Gear";
        for (facet, dist) in FACETS.iter().zip(&facet_dists) {
            let count = rng.random_range(facet.min..=facet.max);
            let mut values: Vec<&str> = Vec::with_capacity(count);
            for _ in 0..count * 3 {
                if values.len() == count {
                    break;
                }
                let value = facet.values[dist.sample(&mut rng)];
                if !values.contains(&value) {
                    values.push(value);
                }
            }
            if facet.name == "category" {
                category = values.first().copied().unwrap_or("Gear");
            }
            let value = match (facet.max, values.first()) {
                (1, Some(value)) => serde_json::Value::from(*value),
                _ => serde_json::Value::from(values),
            };
            facets.insert(facet.name, value);
        }
        let brand = BRANDS[brands.sample(&mut rng)];
        let kind = KINDS[rng.random_range(0..KINDS.len())];
        let length = rng.random_range(20..=40);
        let description: Vec<&str> = (0..length).map(|_| WORDS[words.sample(&mut rng)]).collect();
        // Prices from about 8 to 400, most between 20 and 120.
        let price = (2.0 + rng.random::<f64>() * 4.0).exp().round() + 0.99;
        let companions = (0..COMPANIONS)
            .map(|_| rng.random_range(0..products))
            .filter(|&other| other != n)
            .map(|other| format!("S{other:07}"))
            .collect();
        let record = Record {
            name: format!("{brand} {kind} {}", singular(category)),
            description: description.join(" "),
            price,
            rating: (rng.random_range(20..=50) as f64) / 10.0,
            reviews: (1000.0 / (1.0 + rng.random::<f64>() * 200.0)) as u32,
            visibility: if rng.random_bool(UNLISTED_SHARE) {
                "hidden"
            } else {
                "visible"
            },
            image: format!("{}/{id}.jpg", category.to_lowercase().replace(' ', "-")),
            id,
            item_group,
            companions,
            facets,
        };
        serde_json::to_writer(&mut file, &record)?;
        file.write_all(b"\n")?;
    }
    file.flush()
}

fn singular(category: &str) -> &str {
    category.strip_suffix('s').unwrap_or(category)
}

fn catalog_config() -> String {
    let mut facets = String::new();
    for facet in FACETS {
        facets.push_str(&format!("  - name: {}\n", facet.name));
        if facet.max > 1 {
            facets.push_str("    multi: true\n");
        }
    }
    format!(
        "# A synthetic outdoor shop written by `advisor gen-catalog` for benchmarks.\n\
         products: products.jsonl\n\
         language: en\n\
         currency: EUR\n\
         id: id\n\
         title: name\n\
         price: price\n\
         group: item_group\n\
         text:\n  - field: description\n\
         numbers:\n  - name: rating\n    field: rating\n  - name: reviews\n    field: reviews\n\
         facets:\n{facets}\
         listed:\n  field: visibility\n  values: [visible]\n\
         relations:\n  lists:\n    - field: companions\n      kind: cross_sell\n  diversify: category\n  show: 3\n\
         image_url: \"https://img.example.com/{{image}}\"\n\
         product_url: \"https://shop.example.com/p/{{id}}\"\n"
    )
}
