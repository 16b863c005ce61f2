import { create } from 'zustand';
import type { ConnectionState } from '../transport/ws-api';

interface ConnectionSlice {
  state: ConnectionState;
  set(state: ConnectionState): void;
}

export const useConnection = create<ConnectionSlice>((set) => ({
  state: 'connecting',
  set: (state) => set({ state }),
}));
