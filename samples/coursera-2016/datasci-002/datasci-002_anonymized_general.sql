-- MySQL dump 10.13  Distrib 5.5.40, for debian-linux-gnu (x86_64)
--
-- Host: localhost    Database: datasci-002_anonymized_general
-- ------------------------------------------------------
-- Server version	5.5.40-0ubuntu0.14.04.1

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;
/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;
/*!40101 SET NAMES utf8 */;
/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;
/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;

--
-- Table structure for table `access_groups`
--

DROP TABLE IF EXISTS `access_groups`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8 */;
CREATE TABLE `access_groups` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `name` varchar(64) NOT NULL,
  `forum_moderate` tinyint(1) NOT NULL DEFAULT '0',
  `forum_banned` tinyint(1) NOT NULL DEFAULT '0',
  `admin_access` tinyint(1) NOT NULL DEFAULT '0',
  `forum_title` varchar(64) DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=7 DEFAULT CHARSET=utf8;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `access_groups`
--

LOCK TABLES `access_groups` WRITE;
/*!40000 ALTER TABLE `access_groups` DISABLE KEYS */;
INSERT INTO `access_groups` VALUES (1,'Student',0,0,0,NULL),(2,'Instructor',1,0,1,'Instructor'),(3,'Teaching Staff',1,0,1,'Staff'),(4,'Community TA',1,0,0,'Community TA'),(5,'Blocked',0,1,0,NULL),(6,'Student (Forum Banned)',0,1,0,NULL);
/*!40000 ALTER TABLE `access_groups` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `activity_log`
--

DROP TABLE IF EXISTS `activity_log`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8 */;
CREATE TABLE `activity_log` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `user_id` int(11) NOT NULL,
  `module` varchar(32) NOT NULL,
  `action` varchar(32) NOT NULL,
  `item_id` int(11) DEFAULT NULL,
  `metadata` longtext,
  `timestamp` int(11) NOT NULL DEFAULT '-1',
  PRIMARY KEY (`id`),
  KEY `user_id` (`user_id`)
) ENGINE=InnoDB AUTO_INCREMENT=52118 DEFAULT CHARSET=utf8;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `activity_log`
--

LOCK TABLES `activity_log` WRITE;
/*!40000 ALTER TABLE `activity_log` DISABLE KEYS */;
INSERT INTO `activity_log` VALUES (30551,58213,'forum','post',2,'{\"post_id\":2,\"thread_id\":1}',1400098265),(33106,58213,'forum','post',4,'{\"post_id\":4,\"thread_id\":2}',1400612748),(33390,58213,'forum','post',6,'{\"post_id\":6,\"thread_id\":2}',0);
/*!40000 ALTER TABLE `activity_log` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `course_grades`
--

DROP TABLE IF EXISTS `course_grades`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8 */;
CREATE TABLE `course_grades` (
  `session_user_id` varchar(40) NOT NULL,
  `normal_grade` decimal(5,2) NOT NULL DEFAULT '0.00',
  `distinction_grade` decimal(5,2) NOT NULL DEFAULT '0.00',
  `achievement_level` enum('none','normal','distinction') NOT NULL DEFAULT 'none',
  `authenticated_overall` tinyint(1) NOT NULL DEFAULT '0',
  `ace_grade` decimal(5,2) NOT NULL DEFAULT '0.00',
  `passed_ace` tinyint(1) NOT NULL DEFAULT '0',
  PRIMARY KEY (`session_user_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `course_grades`
--

LOCK TABLES `course_grades` WRITE;
/*!40000 ALTER TABLE `course_grades` DISABLE KEYS */;
INSERT INTO `course_grades` VALUES ('23c4def27b43b67f12cf3d71586b25147351c9a7',87.50,91.00,'distinction',1,0.00,0);
/*!40000 ALTER TABLE `course_grades` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `lecture_submission_metadata`
--

DROP TABLE IF EXISTS `lecture_submission_metadata`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8 */;
CREATE TABLE `lecture_submission_metadata` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `item_id` int(11) NOT NULL,
  `session_user_id` varchar(40) NOT NULL,
  `submission_time` int(11) NOT NULL,
  `submission_number` int(11) NOT NULL DEFAULT '1',
  `raw_score` double DEFAULT NULL,
  `action` enum('view','download') NOT NULL DEFAULT 'view',
  PRIMARY KEY (`id`),
  KEY `item_id` (`item_id`),
  KEY `session_user_id` (`session_user_id`)
) ENGINE=InnoDB AUTO_INCREMENT=31873 DEFAULT CHARSET=utf8;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `lecture_submission_metadata`
--

LOCK TABLES `lecture_submission_metadata` WRITE;
/*!40000 ALTER TABLE `lecture_submission_metadata` DISABLE KEYS */;
INSERT INTO `lecture_submission_metadata` VALUES (10482,3,'23c4def27b43b67f12cf3d71586b25147351c9a7',1399369210,1,NULL,'view'),(10519,4,'23c4def27b43b67f12cf3d71586b25147351c9a7',1399371715,1,NULL,'view'),(10520,4,'23c4def27b43b67f12cf3d71586b25147351c9a7',1399371750,1,NULL,'download'),(13377,9,'23c4def27b43b67f12cf3d71586b25147351c9a7',1400011512,1,NULL,'view'),(13378,9,'23c4def27b43b67f12cf3d71586b25147351c9a7',1400097040,2,NULL,'view'),(19210,15,'23c4def27b43b67f12cf3d71586b25147351c9a7',1401744603,1,NULL,'view'),(24411,22,'23c4def27b43b67f12cf3d71586b25147351c9a7',1403556259,1,NULL,'download');
/*!40000 ALTER TABLE `lecture_submission_metadata` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `quiz_submission_metadata`
--

DROP TABLE IF EXISTS `quiz_submission_metadata`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8 */;
CREATE TABLE `quiz_submission_metadata` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `item_id` int(11) NOT NULL,
  `session_user_id` varchar(40) NOT NULL,
  `submission_time` int(11) NOT NULL,
  `submission_number` int(11) NOT NULL DEFAULT '1',
  `raw_score` double DEFAULT NULL,
  `authenticated_submission_id` int(11) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `item_id` (`item_id`),
  KEY `session_user_id` (`session_user_id`)
) ENGINE=InnoDB AUTO_INCREMENT=11204 DEFAULT CHARSET=utf8;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `quiz_submission_metadata`
--

LOCK TABLES `quiz_submission_metadata` WRITE;
/*!40000 ALTER TABLE `quiz_submission_metadata` DISABLE KEYS */;
INSERT INTO `quiz_submission_metadata` VALUES (4120,101,'23c4def27b43b67f12cf3d71586b25147351c9a7',1400535710,1,8,90211),(4533,101,'23c4def27b43b67f12cf3d71586b25147351c9a7',1400569953,2,10,NULL),(6871,102,'23c4def27b43b67f12cf3d71586b25147351c9a7',1402345000,1,9.5,90874),(9012,103,'23c4def27b43b67f12cf3d71586b25147351c9a7',1404166152,1,7.25,91502);
/*!40000 ALTER TABLE `quiz_submission_metadata` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `users`
--

DROP TABLE IF EXISTS `users`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8 */;
CREATE TABLE `users` (
  `session_user_id` varchar(40) NOT NULL,
  `locale` varchar(16) DEFAULT NULL,
  `timezone` varchar(64) DEFAULT NULL,
  `access_group_id` int(11) NOT NULL,
  `registration_time` int(11) NOT NULL DEFAULT '-1',
  `last_access_time` int(11) NOT NULL DEFAULT '-1',
  `email_announcement` tinyint(1) NOT NULL DEFAULT '1',
  `email_forum` tinyint(1) NOT NULL DEFAULT '1',
  `in_signature_track` tinyint(1) NOT NULL DEFAULT '0',
  `wishes_proctored_exam` tinyint(1) NOT NULL DEFAULT '0',
  `email_review` tinyint(1) NOT NULL DEFAULT '1',
  `deleted` tinyint(1) NOT NULL DEFAULT '0',
  `signature_track_register_time` int(11) NOT NULL DEFAULT '0',
  PRIMARY KEY (`session_user_id`),
  KEY `access_group_id` (`access_group_id`)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `users`
--

LOCK TABLES `users` WRITE;
/*!40000 ALTER TABLE `users` DISABLE KEYS */;
INSERT INTO `users` VALUES ('23c4def27b43b67f12cf3d71586b25147351c9a7','en_US','Europe/Berlin',1,1398161472,1404422048,1,1,1,0,1,0,1399370557),('6082f844e4d4f4f7f73acaec6f3c9e422d2fb415','de_DE','Europe/Berlin',1,1398876005,1403946104,1,1,0,0,1,0,0);
/*!40000 ALTER TABLE `users` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `wiki_revisions`
--

DROP TABLE IF EXISTS `wiki_revisions`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8 */;
CREATE TABLE `wiki_revisions` (
  `page_id` int(11) NOT NULL,
  `session_user_id` varchar(40) NOT NULL,
  `timestamp` int(11) NOT NULL,
  `comments` varchar(255) DEFAULT NULL,
  KEY `page_id` (`page_id`)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `wiki_revisions`
--

LOCK TABLES `wiki_revisions` WRITE;
/*!40000 ALTER TABLE `wiki_revisions` DISABLE KEYS */;
/*!40000 ALTER TABLE `wiki_revisions` ENABLE KEYS */;
UNLOCK TABLES;
/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;

/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;
/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;
/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;
/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;
/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;
/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;

-- Dump completed on 2016-11-18 16:05:33
