/** tsyringe, always with its reflect polyfill loaded first (import DI from here, not from tsyringe). */
import 'reflect-metadata';
export { container, inject, injectable, type DependencyContainer } from 'tsyringe';
