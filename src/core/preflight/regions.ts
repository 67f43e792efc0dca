// The regions where Vertex AI runs custom training, as data. New regions appear, so a region
// missing here is a warning, never an error.

/** "Available regions" of Vertex AI, with the features (custom training among them) of each. */
const VERTEX_LOCATIONS =
  'https://cloud.google.com/vertex-ai/docs/general/locations#available-regions';

export interface TrainingRegion {
  region: string;
  place: string;
  source: string;
}

const row = (region: string, place: string): TrainingRegion => ({
  region,
  place,
  source: VERTEX_LOCATIONS,
});

export const VERTEX_TRAINING_REGIONS: readonly TrainingRegion[] = [
  // United States
  row('us-central1', 'Iowa'),
  row('us-east1', 'South Carolina'),
  row('us-east4', 'Northern Virginia'),
  row('us-east5', 'Columbus, Ohio'),
  row('us-south1', 'Dallas, Texas'),
  row('us-west1', 'Oregon'),
  row('us-west2', 'Los Angeles'),
  row('us-west3', 'Salt Lake City'),
  row('us-west4', 'Las Vegas'),
  // Canada and South America
  row('northamerica-northeast1', 'Montréal'),
  row('northamerica-northeast2', 'Toronto'),
  row('southamerica-east1', 'São Paulo'),
  row('southamerica-west1', 'Santiago'),
  // Europe
  row('europe-central2', 'Warsaw'),
  row('europe-north1', 'Finland'),
  row('europe-southwest1', 'Madrid'),
  row('europe-west1', 'Belgium'),
  row('europe-west2', 'London'),
  row('europe-west3', 'Frankfurt'),
  row('europe-west4', 'Netherlands'),
  row('europe-west6', 'Zürich'),
  row('europe-west8', 'Milan'),
  row('europe-west9', 'Paris'),
  row('europe-west12', 'Turin'),
  // Asia Pacific
  row('asia-east1', 'Taiwan'),
  row('asia-east2', 'Hong Kong'),
  row('asia-northeast1', 'Tokyo'),
  row('asia-northeast2', 'Osaka'),
  row('asia-northeast3', 'Seoul'),
  row('asia-south1', 'Mumbai'),
  row('asia-southeast1', 'Singapore'),
  row('asia-southeast2', 'Jakarta'),
  row('australia-southeast1', 'Sydney'),
  row('australia-southeast2', 'Melbourne'),
  // Middle East and Africa
  row('me-central1', 'Doha'),
  row('me-central2', 'Dammam'),
  row('me-west1', 'Tel Aviv'),
  row('africa-south1', 'Johannesburg'),
];

export function isTrainingRegion(region: string): boolean {
  return VERTEX_TRAINING_REGIONS.some((r) => r.region === region);
}

export const TRAINING_REGIONS_SOURCE = VERTEX_LOCATIONS;
