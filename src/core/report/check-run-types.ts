// What a check run is given: its output and its annotations, as GitHub's API takes them, and
// GitHub's limit on the output's text. Shared by the renderers and the annotation builders.

/** GitHub's limit on a check run's summary and on its text, each. */
export const CHECK_RUN_TEXT_MAX_CHARS = 65535;

export interface CheckRunOutput {
  title: string;
  summary: string;
  text?: string;
}

export interface CheckRunAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
}
