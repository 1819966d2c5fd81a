import { contextBridge } from 'electron';
contextBridge.exposeInMainWorld('onehop', {});
