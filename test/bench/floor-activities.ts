/** The floor workflow's only activity: it does nothing, so what is measured is Temporal's cost of an activity call. */
export function createFloorActivities() {
  return {
    async benchNoop(): Promise<void> {
      // intentionally empty
    },
  };
}

export type FloorActivities = ReturnType<typeof createFloorActivities>;
