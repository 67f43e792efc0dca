// The platform an image is built for when the `platform` input is empty (action.yml's default
// too): what Vertex AI's training machines run.
export const DEFAULT_PLATFORM = 'linux/amd64';
