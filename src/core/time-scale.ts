/** Multiplies every wait of polling and retrying; for tests against fast local stand-ins only. */
export const TIME_SCALE_ENV = 'WB_VERTEX_LAUNCH_TIME_SCALE';
