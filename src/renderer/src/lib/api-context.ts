import { createContext, useContext } from 'react';
import type { StudioApi } from '../../../shared/client';

export const ApiContext = createContext<StudioApi | null>(null);

export function useStudioApi(): StudioApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useStudioApi needs an <ApiContext.Provider> above it.');
  return api;
}
