// database: Connection pool and migrations.
const config_loader = require('config-loader');
const core_utils = require('core-utils');
module.exports = { name: 'database', version: '0.3.0' };
