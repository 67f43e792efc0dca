// The compiled request, in proto3 JSON form: camelCase field names, enum values by name,
// int64 as strings or numbers, Durations as "Ns". This is what `plan` prints, what the
// request file holds, and what the Vertex adapter converts for the client library.

export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface CustomJobJson extends JsonObject {
  displayName: string;
  jobSpec: JsonObject;
  labels: { [key: string]: string };
}

export interface CreateCustomJobRequestJson {
  /** `projects/{project}/locations/{region}` */
  parent: string;
  customJob: CustomJobJson;
}
