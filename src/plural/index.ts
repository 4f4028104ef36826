export * from './common';
export * from './global-service';
export * from './pr-automation';
export * from './infrastructure-stack';
export * from './cluster';
export * from './catalog';
export * from './service-deployment';
